import { randomBytes } from "node:crypto";
import {
  canonicalJson,
  CONSENT_DOCUMENT_TYPE,
  documentChallenge,
  type ConsentDocument,
  type Fingerprint,
  type Purpose,
  type SlotRole,
} from "@vergewis/sdk";
import type { Db, Tx } from "../db/client.ts";
import type { Prisma } from "../db/generated/client.ts";

/** Everything a consent request shows and a consent document names. */
export const requestSelect = {
  id: true,
  role: true,
  status: true,
  expiresAt: true,
  performerId: true,
  decidedAt: true,
  publication: {
    select: {
      id: true,
      externalId: true,
      title: true,
      previewUrl: true,
      status: true,
      purposes: true,
      territories: true,
      validUntil: true,
      createdAt: true,
      platform: { select: { id: true, name: true } },
      fingerprints: { select: { alg: true, value: true }, orderBy: { id: "asc" } },
    },
  },
} satisfies Prisma.SlotSelect;

export type RequestRow = Prisma.SlotGetPayload<{ select: typeof requestSelect }>;

export const loadRequest = (db: Db | Tx, slotId: string): Promise<RequestRow | null> =>
  db.slot.findUnique({ where: { id: slotId }, select: requestSelect });

/** The consent document for a slot as the server sees it now (design §2). */
export function consentDocumentFor(
  row: RequestRow,
  performer: string,
  issuer: string,
  issuedAt = new Date(),
  nonce = randomBytes(16).toString("base64url"),
): ConsentDocument {
  const p = row.publication;
  return {
    type: CONSENT_DOCUMENT_TYPE,
    issuer,
    publication: { id: p.id, externalId: p.externalId, title: p.title },
    platform: { id: p.platform.id, name: p.platform.name },
    slot: { id: row.id, role: row.role as SlotRole },
    contentFingerprints: p.fingerprints as Fingerprint[],
    scope: {
      purposes: [...(p.purposes as Purpose[])].sort(),
      territories: [...p.territories].sort(),
      validUntil: p.validUntil.toISOString(),
    },
    performer,
    issuedAt: issuedAt.toISOString(),
    nonce,
  };
}

/** The fields a signed document must share with the server's view; `issuedAt` and `nonce` are the signer's. */
const BOUND_FIELDS = [
  "type",
  "issuer",
  "publication",
  "platform",
  "slot",
  "contentFingerprints",
  "scope",
  "performer",
] as const;

/** The first field in which a signed document differs from the server's view, if any. */
export function mismatchedField(signed: ConsentDocument, expected: ConsentDocument): string | undefined {
  return BOUND_FIELDS.find((field) => canonicalJson(signed[field]) !== canonicalJson(expected[field]));
}

export interface PreparedDocument<D> {
  document: D;
  /** base64url(SHA-256(canonical document)): also the WebAuthn challenge. */
  documentHash: string;
}

export function prepare<D>(document: D): PreparedDocument<D> {
  return { document, documentHash: documentChallenge(canonicalJson(document)) };
}

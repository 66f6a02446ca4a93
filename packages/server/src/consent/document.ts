import { randomBytes } from "node:crypto";
import {
  canonicalJson,
  CONSENT_DOCUMENT_TYPE,
  documentChallenge,
  type ConsentDocument,
  type Purpose,
  type SlotRole,
} from "@vergewis/sdk";
import { DocumentMismatchError } from "./errors.ts";
import type { RequestRow } from "./request.ts";

/** The consent document for a slot as the server sees it now (docs/architecture.md §3, "A consent"). */
export function consentDocumentFor(
  row: RequestRow,
  issuer: string,
  issuedAt = new Date(),
  nonce = randomBytes(16).toString("base64url"),
): ConsentDocument {
  const p = row.publication;
  return {
    type: CONSENT_DOCUMENT_TYPE,
    issuer,
    publication: {
      id: p.id,
      externalId: p.externalId,
      title: p.title,
      ...(p.producedAt !== null && { producedAt: p.producedAt }),
    },
    platform: { id: p.platform.id, name: p.platform.name },
    slot: { id: row.id, role: row.role as SlotRole },
    contentFingerprints: p.fingerprints,
    scope: {
      purposes: [...(p.purposes as Purpose[])].sort(),
      territories: [...p.territories].sort(),
      validUntil: p.validUntil.toISOString(),
    },
    performer: row.actor.platformPseudonym,
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

/**
 * Refuses a signed document (consent, revocation, lift, deletion) that differs from the server's
 * view in any of `fields`, naming the first; the rest (`issuedAt`, `nonce`) are the signer's.
 */
export function assertBound<D>(signed: D, expected: D, fields: readonly (keyof D & string)[]): void {
  const field = fields.find((f) => canonicalJson(signed[f]) !== canonicalJson(expected[f]));
  if (field) throw new DocumentMismatchError(field);
}

/** A consent document bound to the request it answers. */
export const assertConsentBound = (signed: ConsentDocument, expected: ConsentDocument) =>
  assertBound(signed, expected, BOUND_FIELDS);

export interface PreparedDocument<D> {
  document: D;
  /** base64url(SHA-256(canonical document)): also the WebAuthn challenge. */
  documentHash: string;
}

export function prepare<D>(document: D): PreparedDocument<D> {
  return { document, documentHash: documentChallenge(canonicalJson(document)) };
}

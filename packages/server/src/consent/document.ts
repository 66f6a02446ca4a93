import { randomBytes } from "node:crypto";
import {
  canonicalJson,
  CONSENT_DOCUMENT_TYPE,
  documentChallenge,
  type ConsentDocument,
  type Purpose,
  type SlotRole,
} from "@vergewis/sdk";
import { DocumentMismatchError, ItemNotVerifiedError } from "./errors.ts";
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
    reviewedItems: p.items.map((i) => ({ sha256: i.sha256, verified: true as const })),
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

/**
 * A consent document bound to the request it answers. An item it leaves out is refused on its own
 * (item_not_verified): the performer's browser shows every item and checks it against its fingerprint before the passkey
 * may sign, so a document without one is a consent to content its signer did not see.
 */
export function assertConsentBound(signed: ConsentDocument, expected: ConsentDocument): void {
  assertBound(signed, expected, BOUND_FIELDS);
  const verified = new Set(signed.reviewedItems?.map((i) => i.sha256));
  const missing = expected.reviewedItems?.find((i) => !verified.has(i.sha256));
  if (missing) throw new ItemNotVerifiedError(missing.sha256);
  assertBound(signed, expected, ["reviewedItems"]);
}

export interface PreparedDocument<D> {
  document: D;
  /** base64url(SHA-256(canonical document)): also the WebAuthn challenge. */
  documentHash: string;
}

export function prepare<D>(document: D): PreparedDocument<D> {
  return { document, documentHash: documentChallenge(canonicalJson(document)) };
}

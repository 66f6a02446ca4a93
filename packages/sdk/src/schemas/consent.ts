import { z } from "zod";
import { fingerprintSchema } from "./fingerprint.ts";
import { MAX_CONTENT_ITEMS, SLOT_ROLES } from "./publication.ts";
import { instantSchema, scopeSchema } from "./scope.ts";

const base64url = z.string().regex(/^[A-Za-z0-9_-]*$/, "must be base64url without padding");

/** Public pseudonymous performer id: what consent documents, receipts and the audit log name. */
export const pseudonymSchema = z.string().regex(/^prf_[A-Za-z0-9_-]{22}$/, "must be a performer pseudonym");

export const CONSENT_DOCUMENT_TYPE = "vergewis.consent.v1";
export const REVOCATION_DOCUMENT_TYPE = "vergewis.revocation.v1";

/**
 * What a performer signs with their passkey (docs/architecture.md §3, "A consent"). The signed bytes are the document's
 * RFC 8785 canonical form, and the WebAuthn challenge is base64url(SHA-256(those bytes)), so the
 * assertion is a signature over exactly this content, platform and scope.
 */
export const consentDocumentSchema = z.strictObject({
  type: z.literal(CONSENT_DOCUMENT_TYPE),
  /** The Vergewis server that recorded the consent (its public URL). */
  issuer: z.url(),
  publication: z.strictObject({
    id: z.uuid(),
    externalId: z.string(),
    title: z.string(),
    /** The day the content was made, as the platform stated it (absent on older requests). */
    producedAt: z.iso.date().optional(),
  }),
  platform: z.strictObject({ id: z.uuid(), name: z.string() }),
  slot: z.strictObject({ id: z.uuid(), role: z.enum(SLOT_ROLES) }),
  contentFingerprints: z.array(fingerprintSchema).min(1),
  /**
   * Each content item (by its sha-256) that the performer's browser fetched, showed and found to
   * hash to its fingerprint before the passkey signed. Absent in documents signed before items
   * were shown in the portal.
   */
  reviewedItems: z
    .array(z.strictObject({ sha256: fingerprintSchema.shape.value, verified: z.literal(true) }))
    .max(MAX_CONTENT_ITEMS)
    .optional(),
  scope: scopeSchema,
  performer: pseudonymSchema,
  issuedAt: instantSchema,
  /** 128 random bits from the server: no two documents are alike, so no signature can be replayed. */
  nonce: base64url.min(22),
});
export type ConsentDocument = z.output<typeof consentDocumentSchema>;

/** What a performer signs to withdraw a consent: as final as the consent, and as easy to give. */
export const revocationDocumentSchema = z.strictObject({
  type: z.literal(REVOCATION_DOCUMENT_TYPE),
  issuer: z.url(),
  consent: z.strictObject({ id: z.uuid(), documentHash: base64url.length(43) }),
  publication: z.strictObject({ id: z.uuid() }),
  platform: z.strictObject({ id: z.uuid() }),
  performer: pseudonymSchema,
  /**
   * "Withdraw everywhere", when the performer chose it: their other active consents whose content
   * matches this one's (exactly or as a near duplicate, on any platform of the instance) are
   * withdrawn with it, each keeping this document as its evidence; matches where they never
   * consented are reported by them as a depicted person.
   */
  everywhere: z
    .strictObject({ revokes: z.array(z.strictObject({ id: z.uuid(), documentHash: base64url.length(43) })) })
    .optional(),
  issuedAt: instantSchema,
  nonce: base64url.min(22),
});
export type RevocationDocument = z.output<typeof revocationDocumentSchema>;

export const BLOCK_LIFT_DOCUMENT_TYPE = "vergewis.block-lift.v1";

/**
 * What a performer signs to allow content they withdrew again: their withdrawal of `consent` no
 * longer blocks these fingerprints on this platform, so the platform may ask for a new consent.
 * It gives no consent itself, and other performers' withdrawals still block.
 */
export const blockLiftDocumentSchema = z.strictObject({
  type: z.literal(BLOCK_LIFT_DOCUMENT_TYPE),
  issuer: z.url(),
  consent: z.strictObject({ id: z.uuid(), documentHash: base64url.length(43) }),
  publication: z.strictObject({ id: z.uuid() }),
  platform: z.strictObject({ id: z.uuid() }),
  contentFingerprints: z.array(fingerprintSchema).min(1),
  performer: pseudonymSchema,
  issuedAt: instantSchema,
  nonce: base64url.min(22),
});
export type BlockLiftDocument = z.output<typeof blockLiftDocumentSchema>;

export const ACCOUNT_DELETION_DOCUMENT_TYPE = "vergewis.account-deletion.v1";

/**
 * What a performer signs to delete their account: one passkey signature that revokes every
 * consent it names and declines every open request it names, after which the account's personal
 * data is erased. Each named consent keeps this document and its signature as its revocation
 * evidence, so an auditor checks a revocation by deletion exactly like any other.
 */
export const accountDeletionDocumentSchema = z.strictObject({
  type: z.literal(ACCOUNT_DELETION_DOCUMENT_TYPE),
  issuer: z.url(),
  performer: pseudonymSchema,
  /** Every active consent of the performer, by id and document hash. */
  revokes: z.array(z.strictObject({ id: z.uuid(), documentHash: base64url.length(43) })),
  /** Every open request the performer holds: they can no longer be answered. */
  declines: z.array(z.strictObject({ slotId: z.uuid() })),
  issuedAt: instantSchema,
  nonce: base64url.min(22),
});
export type AccountDeletionDocument = z.output<typeof accountDeletionDocumentSchema>;

/**
 * A passkey signature over a document, with everything needed to check it offline (WebAuthn L3
 * §7.2): the credential's COSE public key, authenticatorData, clientDataJSON and signature, all
 * base64url, and the RP id and origin the ceremony ran under.
 */
export const signatureEvidenceSchema = z.object({
  /** The signed document in RFC 8785 canonical form. */
  document: z.string().min(2),
  credentialId: base64url.min(1),
  /** COSE_Key (RFC 9052 §7). */
  publicKey: base64url.min(1),
  authenticatorData: base64url.min(1),
  clientDataJSON: base64url.min(1),
  signature: base64url.min(1),
  userHandle: base64url.nullable().optional(),
  rpId: z.string().min(1),
  origin: z.string().min(1),
});
export type SignatureEvidence = z.input<typeof signatureEvidenceSchema>;

/** A consent as a platform sees it: no document, no evidence (they identify the performer's passkey). */
export const consentSummarySchema = z.object({
  id: z.uuid(),
  slotId: z.uuid(),
  status: z.enum(["active", "revoked", "expired"]),
  /** The JWS consent receipt: verify it with `verifyConsentReceipt`. */
  receipt: z.string(),
  createdAt: instantSchema,
  revokedAt: instantSchema.nullable(),
});
export type ConsentSummary = z.output<typeof consentSummarySchema>;

export const consentListSchema = z.object({ items: z.array(consentSummarySchema) });
export type ConsentList = z.output<typeof consentListSchema>;

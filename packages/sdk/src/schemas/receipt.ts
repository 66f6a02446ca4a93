import { z } from "zod";
import { pseudonymSchema } from "./consent.ts";
import { FINGERPRINT_ALGS } from "./fingerprint.ts";
import { PURPOSES } from "./scope.ts";

/** JOSE `typ` of a consent receipt (RFC 8725 §3.11: explicit typing). */
export const RECEIPT_TYPE = "vergewis-receipt+jwt";
/** JOSE `typ` of a status list token (draft-ietf-oauth-status-list §5.1). */
export const STATUS_LIST_TYPE = "statuslist+jwt";

/** A reference to a status list entry (draft-ietf-oauth-status-list §6.2). */
export const statusReferenceSchema = z.object({
  status_list: z.object({ idx: z.number().int().min(0), uri: z.string().min(1) }),
});

/*
 * Receipts are verified on the hot path of a platform's publish gate, and what they carry was
 * signed in canonical form (lower-case ids and hex, sorted lists, UTC instants): the schemas below
 * check that form instead of normalising, and parse no URLs.
 */
const id = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);

const signedScopeSchema = z.object({
  purposes: z.array(z.enum(PURPOSES)).min(1),
  territories: z.array(z.string().regex(/^[A-Z]{2}$/)).min(1),
  validUntil: z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/),
});

/**
 * The claims of a consent receipt. Registered claims (RFC 7519 §4.1) carry the parties: `iss` the
 * Vergewis server, `sub` the performer's pseudonym, `aud` the platform, `jti` the consent id, `exp`
 * the end of the consented scope. `status` points at the receipt's revocation bit. `slotPosition`
 * and `slotCount` say which of how many persons this consent is for: with them a set of receipts
 * proves that everyone depicted consented. Receipts issued before they were added lack both.
 */
export const receiptClaimsSchema = z
  .object({
    iss: z.string().min(1),
    sub: pseudonymSchema,
    aud: id,
    jti: id,
    iat: z.number().int(),
    exp: z.number().int(),
    publicationId: id,
    slotId: id,
    /** The slot's 0-based position among the publication's slots. */
    slotPosition: z.number().int().min(0).optional(),
    /** How many slots (depicted persons) the publication has: one receipt each. */
    slotCount: z.number().int().min(1).optional(),
    /** base64url(SHA-256(canonical consent document)): the WebAuthn challenge the passkey signed. */
    documentHash: z.string().regex(/^[A-Za-z0-9_-]{43}$/),
    contentFingerprints: z
      .array(z.object({ alg: z.enum(FINGERPRINT_ALGS), value: z.string().regex(/^[0-9a-f]{64}$/) }))
      .min(1),
    scope: signedScopeSchema,
    /** Index of the `consent.signed` event in the audit log. */
    auditIndex: z.number().int().min(0),
    status: statusReferenceSchema,
  })
  .refine(
    (c) =>
      c.slotPosition === undefined
        ? c.slotCount === undefined
        : c.slotCount !== undefined && c.slotPosition < c.slotCount,
    "slotPosition and slotCount come together, the position below the count",
  );
export type ReceiptClaims = z.output<typeof receiptClaimsSchema>;

/** A JSON Web Key Set (RFC 7517 §5) as served at `/.well-known/jwks.json`. */
export const jwksSchema = z.object({
  keys: z.array(z.looseObject({ kty: z.string(), kid: z.string().optional(), alg: z.string().optional() })),
});

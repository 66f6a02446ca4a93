import { createLocalJWKSet, errors as joseErrors, jwtVerify, type JSONWebKeySet, type JWTVerifyGetKey } from "jose";
import type { Fingerprint } from "../schemas/fingerprint.ts";
import { RECEIPT_TYPE, receiptClaimsSchema } from "../schemas/receipt.ts";
import type { Scope } from "../schemas/scope.ts";
import { ReceiptVerificationError, type VerificationErrorCode } from "./errors.ts";

/** A verified consent receipt. */
export interface ConsentReceipt {
  consentId: string;
  publicationId: string;
  platformId: string;
  slotId: string;
  /** The performer's pseudonym. */
  performer: string;
  /** base64url(SHA-256(canonical consent document)). */
  documentHash: string;
  contentFingerprints: Fingerprint[];
  scope: Scope;
  auditIndex: number;
  /** Where the receipt's revocation bit is: see `isRevoked`. */
  status: { idx: number; uri: string };
  issuer: string;
  issuedAt: Date;
  expiresAt: Date;
  /** The signing key's id in the issuer's JWKS. */
  kid: string;
}

export interface VerifyReceiptOptions {
  /** The Vergewis server you trust (its public URL); checked against `iss` when set. */
  issuer?: string;
  /** Your platform id; checked against `aud` when set. */
  platformId?: string;
  /** Verify as of this time (default now): for records checked after the scope ended. */
  currentDate?: Date;
}

/** A key set: the JWKS document itself, or a jose key resolver such as `createRemoteJWKSet(url)`. */
export type KeySet = JSONWebKeySet | JWTVerifyGetKey;

// Key sets are wrapped once per object, so that imported keys are reused across calls.
const localSets = new WeakMap<JSONWebKeySet, JWTVerifyGetKey>();

export function keyResolver(jwks: KeySet): JWTVerifyGetKey {
  if (typeof jwks === "function") return jwks;
  let resolver = localSets.get(jwks);
  if (!resolver) {
    resolver = createLocalJWKSet(jwks);
    localSets.set(jwks, resolver);
  }
  return resolver;
}

/**
 * Verifies a consent receipt offline: the ES256 signature against the issuer's JWKS, the explicit
 * type, the expiry (end of the consented scope) and the shape of every claim. Pass the same JWKS
 * object on every call: its imported keys are cached.
 *
 * Throws ReceiptVerificationError (`malformed`, `signature_invalid`, `key_unknown`, `expired`,
 * `claims_invalid`). A valid receipt can still have been revoked: check with `isRevoked`.
 */
export async function verifyConsentReceipt(
  jws: string,
  jwks: KeySet,
  options: VerifyReceiptOptions = {},
): Promise<ConsentReceipt> {
  let payload: unknown;
  let kid: string | undefined;
  try {
    const result = await jwtVerify(jws, keyResolver(jwks), {
      algorithms: ["ES256"],
      typ: RECEIPT_TYPE,
      ...(options.issuer !== undefined && { issuer: options.issuer }),
      ...(options.platformId !== undefined && { audience: options.platformId }),
      ...(options.currentDate !== undefined && { currentDate: options.currentDate }),
      requiredClaims: ["iss", "sub", "aud", "jti", "iat", "exp"],
    });
    payload = result.payload;
    kid = result.protectedHeader.kid;
  } catch (error) {
    throw receiptError(error);
  }
  const claims = receiptClaimsSchema.safeParse(payload);
  if (!claims.success || kid === undefined) {
    throw new ReceiptVerificationError(
      "claims_invalid",
      "The receipt is signed, but its claims are not those of a consent receipt.",
    );
  }
  const c = claims.data;
  return {
    consentId: c.jti,
    publicationId: c.publicationId,
    platformId: c.aud,
    slotId: c.slotId,
    performer: c.sub,
    documentHash: c.documentHash,
    contentFingerprints: c.contentFingerprints,
    scope: c.scope,
    auditIndex: c.auditIndex,
    status: c.status.status_list,
    issuer: c.iss,
    issuedAt: new Date(c.iat * 1000),
    expiresAt: new Date(c.exp * 1000),
    kid,
  };
}

function receiptError(error: unknown): ReceiptVerificationError {
  const [code, message]: [VerificationErrorCode, string] =
    error instanceof joseErrors.JWSSignatureVerificationFailed
      ? ["signature_invalid", "The receipt's signature does not verify."]
      : error instanceof joseErrors.JWKSNoMatchingKey
        ? ["key_unknown", "The receipt was signed with a key that is not in the key set."]
        : error instanceof joseErrors.JWTExpired
          ? ["expired", "The consented scope of this receipt has ended."]
          : error instanceof joseErrors.JWTClaimValidationFailed
            ? ["claims_invalid", `The receipt's claims do not match: ${(error as Error).message}.`]
            : ["malformed", "This is not a well-formed consent receipt."];
  return new ReceiptVerificationError(code, message, { cause: error });
}

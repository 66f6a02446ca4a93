import {
  compactVerify,
  errors as joseErrors,
  importJWK,
  type CryptoKey,
  type JSONWebKeySet,
  type JWK,
  type JWTVerifyGetKey,
} from "jose";
import type { Fingerprint } from "../schemas/fingerprint.ts";
import { RECEIPT_TYPE, receiptClaimsSchema, type ReceiptClaims } from "../schemas/receipt.ts";
import type { Scope } from "../schemas/scope.ts";
import { ReceiptVerificationError, type VerificationErrorCode } from "./errors.ts";

/** A verified consent receipt. */
export interface ConsentReceipt {
  consentId: string;
  publicationId: string;
  platformId: string;
  slotId: string;
  /**
   * The slot's 0-based position and the publication's number of slots: a complete set has one
   * receipt per position. Absent on receipts issued before they were signed into receipts.
   */
  slotPosition?: number;
  slotCount?: number;
  /** The performer's pseudonym for this platform (pairwise: another platform sees another one). */
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

/**
 * A resolver over a JWKS that imports each ES256 key once and then finds it by `kid` in a map:
 * receipts are verified often, against a key set that rarely changes.
 */
function es256Resolver(jwks: JSONWebKeySet): JWTVerifyGetKey {
  const keys = new Map<string, Promise<CryptoKey | Uint8Array>>();
  return (header) => {
    const kid = header.kid;
    if (header.alg !== "ES256") throw new joseErrors.JOSEAlgNotAllowed(`"${header.alg}" is not ES256`);
    if (kid === undefined) throw new joseErrors.JWKSNoMatchingKey();
    let key = keys.get(kid);
    if (!key) {
      const jwk = jwks.keys.find(
        (k: JWK) =>
          k.kid === kid &&
          k.kty === "EC" &&
          k.crv === "P-256" &&
          (k.alg === undefined || k.alg === "ES256") &&
          (k.use === undefined || k.use === "sig"),
      );
      if (!jwk) throw new joseErrors.JWKSNoMatchingKey();
      key = importJWK(jwk, "ES256");
      keys.set(kid, key);
    }
    return key;
  };
}

export function keyResolver(jwks: KeySet): JWTVerifyGetKey {
  if (typeof jwks === "function") return jwks;
  let resolver = localSets.get(jwks);
  if (!resolver) {
    resolver = es256Resolver(jwks);
    localSets.set(jwks, resolver);
  }
  return resolver;
}

/**
 * Verifies a consent receipt offline: the ES256 signature against the issuer's JWKS, the explicit
 * type (RFC 8725 §3.11), the expiry (end of the consented scope) and the shape of every claim.
 * Pass the same JWKS object on every call: its imported keys are cached. (The registered claims
 * are checked here rather than by jose's jwtVerify: this sits on a platform's publish path.)
 *
 * Throws ReceiptVerificationError (`malformed`, `signature_invalid`, `key_unknown`, `expired`,
 * `claims_invalid`). A valid receipt can still have been revoked: check with `isRevoked`.
 */
export async function verifyConsentReceipt(
  jws: string,
  jwks: KeySet,
  options: VerifyReceiptOptions = {},
): Promise<ConsentReceipt> {
  let verified: Awaited<ReturnType<typeof compactVerify>>;
  try {
    verified = await compactVerify(jws, keyResolver(jwks));
  } catch (error) {
    throw receiptError(error);
  }
  // ES256 only (RFC 8725 §3.1): checked here rather than by jose's `algorithms` option, which is
  // costly per call. A token of another algorithm has verified with a key that is not ours to
  // allow for receipts, and is refused all the same.
  const { alg, kid, typ } = verified.protectedHeader;
  if (alg !== "ES256" || typ !== RECEIPT_TYPE || kid === undefined) {
    throw new ReceiptVerificationError("malformed", "This is a signed token, but not a consent receipt.");
  }
  const claims = readClaims(verified.payload);
  const c = claims;
  // RFC 7519 §4.1.4: not valid on or after `exp`.
  if ((options.currentDate?.getTime() ?? Date.now()) >= c.exp * 1000) {
    throw new ReceiptVerificationError("expired", "The consented scope of this receipt has ended.");
  }
  if (options.issuer !== undefined && c.iss !== options.issuer) {
    throw new ReceiptVerificationError(
      "claims_invalid",
      `The receipt was issued by ${c.iss}, not by ${options.issuer}.`,
    );
  }
  if (options.platformId !== undefined && c.aud !== options.platformId) {
    throw new ReceiptVerificationError("claims_invalid", "The receipt was issued to another platform.");
  }
  return {
    consentId: c.jti,
    publicationId: c.publicationId,
    platformId: c.aud,
    slotId: c.slotId,
    ...(c.slotPosition !== undefined && { slotPosition: c.slotPosition, slotCount: c.slotCount }),
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

/** The claims of a verified payload, checked against the receipt schema. */
function readClaims(bytes: Uint8Array): ReceiptClaims {
  let payload: unknown;
  try {
    payload = JSON.parse(decoder.decode(bytes));
  } catch (cause) {
    throw new ReceiptVerificationError("malformed", "The receipt's payload is not JSON.", { cause });
  }
  const claims = receiptClaimsSchema.safeParse(payload);
  if (!claims.success) {
    throw new ReceiptVerificationError(
      "claims_invalid",
      "The receipt is signed, but its claims are not those of a consent receipt.",
    );
  }
  return claims.data;
}

const decoder = new TextDecoder();

function receiptError(error: unknown): ReceiptVerificationError {
  const [code, message]: [VerificationErrorCode, string] =
    error instanceof joseErrors.JWSSignatureVerificationFailed
      ? ["signature_invalid", "The receipt's signature does not verify."]
      : error instanceof joseErrors.JWKSNoMatchingKey
        ? ["key_unknown", "The receipt was signed with a key that is not in the key set."]
        : ["malformed", "This is not a well-formed consent receipt."];
  return new ReceiptVerificationError(code, message, { cause: error });
}

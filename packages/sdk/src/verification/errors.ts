import { VergewisSdkError } from "../errors.ts";

/**
 * Why an offline check failed. The code is stable: match on it, not on the message.
 *
 * - `malformed`: not a receipt, evidence or status list at all (bad encoding, missing fields).
 * - `signature_invalid`: the signature does not verify.
 * - `key_unknown`: no key in the key set has the `kid` it was signed with.
 * - `expired`: the receipt's scope has ended (`exp`).
 * - `claims_invalid`: signed, but for another issuer or platform, or with claims out of shape.
 * - `challenge_mismatch`: the passkey signed something other than this document.
 * - `origin_mismatch`: the passkey ceremony ran on another origin or relying party than expected.
 * - `user_not_verified`: the authenticator did not verify the user (PIN, biometrics).
 * - `not_canonical`: the document is not in RFC 8785 canonical form, so its hash is ambiguous.
 * - `status_unavailable`: the status list could not be fetched or does not cover the receipt.
 */
export type VerificationErrorCode =
  | "malformed"
  | "signature_invalid"
  | "key_unknown"
  | "expired"
  | "claims_invalid"
  | "challenge_mismatch"
  | "origin_mismatch"
  | "user_not_verified"
  | "not_canonical"
  | "status_unavailable";

/** Base class of every offline verification failure. */
export class VerificationError extends VergewisSdkError {
  declare readonly code: VerificationErrorCode;

  constructor(code: VerificationErrorCode, message: string, options?: ErrorOptions) {
    super(code, message, options);
  }
}

/** A consent receipt (JWS) did not verify. */
export class ReceiptVerificationError extends VerificationError {}

/** A passkey signature over a consent or revocation document did not verify. */
export class SignatureVerificationError extends VerificationError {}

/** A status list could not be obtained or trusted. */
export class StatusListError extends VerificationError {}

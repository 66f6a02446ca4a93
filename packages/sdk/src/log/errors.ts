import { VergewisSdkError } from "../errors.ts";

/** Stable codes of log verification failures: match on `code`, not on the message. */
export type LogVerificationErrorCode =
  | "verifier_key_invalid"
  | "checkpoint_malformed"
  | "checkpoint_signature_invalid"
  | "checkpoint_origin_mismatch"
  | "inclusion_proof_invalid"
  | "consistency_proof_invalid"
  | "log_diverged";

/** Something about a log, a checkpoint or a proof does not hold. Subclasses narrow the cause. */
export class LogVerificationError extends VergewisSdkError {
  declare readonly code: LogVerificationErrorCode;

  constructor(code: LogVerificationErrorCode, message: string, options?: ErrorOptions) {
    super(code, message, options);
  }
}

/** The verifier key string (`name+keyid+base64`) is not a valid Ed25519 signed-note key. */
export class VerifierKeyError extends LogVerificationError {
  constructor(message: string) {
    super("verifier_key_invalid", message);
  }
}

/** A checkpoint is malformed, comes from another log, or carries no valid signature of the key. */
export class CheckpointError extends LogVerificationError {
  constructor(
    code: "checkpoint_malformed" | "checkpoint_signature_invalid" | "checkpoint_origin_mismatch",
    message: string,
  ) {
    super(code, message);
  }
}

/** The inclusion proof does not lead from the leaf to the root. */
export class InclusionProofError extends LogVerificationError {
  constructor(message: string) {
    super("inclusion_proof_invalid", message);
  }
}

/** The consistency proof does not show that the newer tree extends the older one. */
export class ConsistencyProofError extends LogVerificationError {
  constructor(message: string) {
    super("consistency_proof_invalid", message);
  }
}

/**
 * A copy of the log differs from what the log signed. `index` is the first leaf that differs,
 * when it could be determined; otherwise [`from`, `to`) bounds it.
 */
export class LogDivergenceError extends LogVerificationError {
  readonly index: number | undefined;
  readonly from: number;
  readonly to: number;

  constructor(message: string, where: { index: number } | { from: number; to: number }) {
    super("log_diverged", message);
    if ("index" in where) {
      this.index = where.index;
      this.from = where.index;
      this.to = where.index + 1;
    } else {
      this.index = undefined;
      this.from = where.from;
      this.to = where.to;
    }
  }
}

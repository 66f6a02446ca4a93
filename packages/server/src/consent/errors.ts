import { VergewisError } from "../errors.ts";

/** Unknown, or not addressed to this performer: the two look the same. */
export class RequestNotFoundError extends VergewisError<"request_not_found"> {
  constructor() {
    super("request_not_found", "not_found", "There is no such consent request for you.");
  }
}

export class InvitationInvalidError extends VergewisError<"invitation_invalid"> {
  constructor() {
    super("invitation_invalid", "not_found", "This invitation code is not valid, has expired, or was already used.");
  }
}

/** Someone else claimed the invitation at the same moment, and was first. */
export class InvitationTakenError extends VergewisError<"invitation_taken"> {
  constructor() {
    super("invitation_taken", "conflict", "Someone else took this invitation at the same moment.");
  }
}

export class AgeVerificationRequiredError extends VergewisError<
  "age_verification_required" | "age_verification_expired"
> {
  constructor(readonly reason: "missing" | "expired") {
    super(
      reason === "missing" ? "age_verification_required" : "age_verification_expired",
      "forbidden",
      reason === "missing"
        ? "Verify your age before you sign a consent."
        : "Your age verification is too old. Verify your age again before you sign a new consent.",
    );
  }
}

/**
 * The performer's verification does not show them 18 or older on the day the content was made:
 * it found them under 18 then (final), or was not asked about that date (verify again, for it).
 */
export class AgeAtProductionError extends VergewisError<"under_18_at_production" | "age_at_production_unverified"> {
  constructor(readonly outcome: "minor" | "unverified") {
    super(
      outcome === "minor" ? "under_18_at_production" : "age_at_production_unverified",
      "forbidden",
      outcome === "minor"
        ? "You were under 18 on the day this content was made: you cannot consent to it."
        : "Your age verification does not show your age on the day this content was made. Verify your age again for this request.",
    );
  }
}

export class DocumentMismatchError extends VergewisError<"document_mismatch"> {
  constructor(readonly field: string) {
    super(
      "document_mismatch",
      "conflict",
      `The signed document does not match this request (${field}). Review the request and sign again.`,
    );
  }
}

/** The signed document leaves out a content item of the request: the performer did not verify it. */
export class ItemNotVerifiedError extends VergewisError<"item_not_verified"> {
  constructor(readonly sha256: string) {
    super(
      "item_not_verified",
      "unprocessable",
      `The signed consent does not name the content item ${sha256} as viewed and verified. View every item and sign again.`,
    );
  }
}

type ClosedCode = "publication_not_pending" | "slot_not_open" | "already_in_publication";

export class RequestClosedError extends VergewisError<ClosedCode> {
  constructor(code: ClosedCode, message: string) {
    super(code, "conflict", message);
  }
}

export class InvitationExpiredError extends VergewisError<"invitation_expired"> {
  constructor() {
    super("invitation_expired", "gone", "This consent request has expired.");
  }
}

export class ConsentNotActiveError extends VergewisError<"consent_not_active"> {
  constructor() {
    super("consent_not_active", "conflict", "This consent is no longer active: it was already revoked or has expired.");
  }
}

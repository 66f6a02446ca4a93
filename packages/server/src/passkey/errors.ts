import { VergewisError } from "../errors.ts";

/** Unknown, expired, already used, or issued to another session or for another purpose: all look alike. */
export class ChallengeError extends VergewisError<"challenge_invalid"> {
  constructor() {
    super("challenge_invalid", "invalid", "This passkey request has expired or was already used. Start again.");
  }
}

export class RegistrationError extends VergewisError<"passkey_registration_failed"> {
  constructor(options?: ErrorOptions) {
    super("passkey_registration_failed", "invalid", "The passkey could not be registered. Try again.", options);
  }
}

/** A login assertion failed; whether the passkey exists is not revealed. */
export class LoginFailedError extends VergewisError<"login_failed"> {
  constructor(options?: ErrorOptions) {
    super("login_failed", "unauthenticated", "This passkey could not be verified.", options);
  }
}

/** A signature over a consent or revocation document failed. */
export class SignatureError extends VergewisError<"signature_invalid"> {
  constructor(options?: ErrorOptions) {
    super("signature_invalid", "invalid", "The passkey signature could not be verified for this document.", options);
  }
}

export class LastPasskeyError extends VergewisError<"last_passkey"> {
  constructor() {
    super("last_passkey", "conflict", "This is your only passkey. Add another one before you remove it.");
  }
}

/** An account that has a passkey gets another only right after a passkey login or a new identity check. */
export class ReverificationRequiredError extends VergewisError<"reverification_required"> {
  constructor() {
    super(
      "reverification_required",
      "forbidden",
      "Verify your identity again (or log in with a passkey) to add a passkey to this account.",
    );
  }
}

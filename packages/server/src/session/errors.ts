import { VergewisError } from "../errors.ts";

export class LoginRequiredError extends VergewisError<"login_required"> {
  constructor() {
    super("login_required", "unauthenticated", "Log in with your passkey, or verify your age, to continue.");
  }
}

export class CsrfTokenError extends VergewisError<"csrf_token_invalid"> {
  constructor() {
    super(
      "csrf_token_invalid",
      "forbidden",
      "The request lacks this session's CSRF token (X-CSRF-Token). Reload the page and try again.",
    );
  }
}

export class CrossOriginError extends VergewisError<"cross_origin_request"> {
  constructor() {
    super("cross_origin_request", "forbidden", "Requests that change something must come from the portal itself.");
  }
}

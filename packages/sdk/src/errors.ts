import type { ErrorCode } from "./schemas/error-code.ts";
import type { Problem } from "./schemas/problem.ts";

/**
 * Base class of every error the SDK throws. `code` is stable: match on it, not on the message.
 *
 * @example
 * ```ts
 * try {
 *   await vergewis.publications.create(request);
 * } catch (error) {
 *   if (error instanceof VergewisSdkError) console.error(error.code, error.message);
 *   throw error;
 * }
 * ```
 */
export class VergewisSdkError extends Error {
  /** Stable, machine-readable reason, e.g. `external_id_taken`, `timeout`, `connection_failed`. */
  readonly code: string;

  constructor(code: string, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/** A field that the server refused, as RFC 9457 `errors` with a JSON Pointer into the request. */
export interface FieldError {
  /** RFC 6901 JSON Pointer into the request: `/body/slots/0/role`, `/query/cursor`. */
  pointer: string;
  reason: string;
}

/**
 * The server answered with an error: the RFC 9457 problem details it sent, as fields. Subclasses
 * name the HTTP status; `code` names the reason (`external_id_taken`, `invalid_request`, …).
 */
export class VergewisApiError extends VergewisSdkError {
  /**
   * The problem's `code`: one of the server's catalogue (`errorCodes`, each with its meaning), or
   * `http_<status>` when the response had no problem details. Any other string still comes
   * through, since a newer server may send a code this SDK version does not know yet;
   * `(string & {})` keeps it a string without erasing the catalogue's names from the type.
   */
  declare readonly code: ErrorCode | (string & {});
  /** HTTP status of the response. */
  readonly status: number;
  /** RFC 9457 `type`: a URI naming the problem; `about:blank` when the server sent no problem details. */
  readonly type: string;
  /** RFC 9457 `title`: short and the same for every occurrence of the problem. */
  readonly title: string;
  /** RFC 9457 `detail`: what went wrong this time, for people. */
  readonly detail: string | undefined;
  readonly instance: string | undefined;
  /** The fields the server refused (validation errors); empty otherwise. */
  readonly errors: FieldError[];
  /** The server's `X-Request-Id`: quote it when you ask for support. */
  readonly requestId: string | undefined;
  /** How long the server asked to wait before trying again (`Retry-After`), in milliseconds. */
  readonly retryAfterMs: number | undefined;

  constructor(problem: Problem, meta: { requestId?: string | undefined; retryAfterMs?: number | undefined } = {}) {
    super(problem.code, problem.detail ?? problem.title);
    this.status = problem.status;
    this.type = problem.type;
    this.title = problem.title;
    this.detail = problem.detail;
    this.instance = problem.instance;
    this.errors = problem.errors ?? [];
    this.requestId = meta.requestId;
    this.retryAfterMs = meta.retryAfterMs;
  }
}

/** 400, 413, 415 or 422: the request is wrong and sending it again will not help. See `errors`. */
export class InvalidRequestError extends VergewisApiError {}
/** 401: the API key is missing, malformed, unknown or revoked. */
export class AuthenticationError extends VergewisApiError {}
/** 403: the API key is valid but may not do this. */
export class PermissionDeniedError extends VergewisApiError {}
/** 404: no such resource for this platform (another platform's resources are reported absent too). */
export class NotFoundError extends VergewisApiError {}
/** 409: the request conflicts with the current state, e.g. `external_id_taken`, `content_withdrawn`. */
export class ConflictError extends VergewisApiError {}
/** 410: the resource existed and is gone for good. */
export class GoneError extends VergewisApiError {}
/** 429: too many requests; the client already retried as `Retry-After` asked. */
export class RateLimitError extends VergewisApiError {}
/** 503: the server cannot serve right now (e.g. `database_unavailable`); the client already retried. */
export class ServiceUnavailableError extends VergewisApiError {}
/** Any other 5xx: a fault on the server's side. */
export class InternalServerError extends VergewisApiError {}

const BY_STATUS: Record<number, typeof VergewisApiError> = {
  400: InvalidRequestError,
  401: AuthenticationError,
  403: PermissionDeniedError,
  404: NotFoundError,
  409: ConflictError,
  410: GoneError,
  413: InvalidRequestError,
  415: InvalidRequestError,
  422: InvalidRequestError,
  429: RateLimitError,
  503: ServiceUnavailableError,
};

/** The subclass for a status: unknown 4xx are plain VergewisApiError, unknown 5xx InternalServerError. */
export function apiErrorClass(status: number): typeof VergewisApiError {
  return BY_STATUS[status] ?? (status >= 500 ? InternalServerError : VergewisApiError);
}

/** No response arrived: DNS, refused or reset connection, TLS failure. Code `connection_failed`. */
export class VergewisConnectionError extends VergewisSdkError {
  constructor(message: string, options?: ErrorOptions & { code?: string }) {
    super(options?.code ?? "connection_failed", message, options);
  }
}

/** No complete response within `timeoutMs` (per attempt). Code `timeout`. */
export class VergewisTimeoutError extends VergewisConnectionError {
  constructor(timeoutMs: number) {
    super(`No response from Vergewis within ${timeoutMs} ms.`, { code: "timeout" });
  }
}

/**
 * A success status with a body that is not what this SDK version expects (not JSON, or not
 * matching the schema). Code `invalid_response`; `issues` says which fields.
 */
export class VergewisResponseError extends VergewisSdkError {
  readonly status: number;
  readonly issues: string[];
  constructor(status: number, issues: string[], options?: ErrorOptions) {
    super("invalid_response", `Vergewis sent a response this SDK does not understand: ${issues.join("; ")}`, options);
    this.status = status;
    this.issues = issues;
  }
}

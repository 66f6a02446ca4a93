import type { ErrorCode } from "@vergewis/sdk";

/**
 * Domain errors. Each has a stable `code` from the catalogue (`errorCodes` in the SDK's schemas:
 * part of the public API, clients match on it) and a `kind` that says what went wrong in
 * protocol-neutral terms; `http/problem.ts` maps kinds to HTTP statuses in one place.
 */
export type ErrorKind =
  | "invalid"
  | "unauthenticated"
  | "forbidden"
  | "not_found"
  | "conflict"
  | "gone"
  | "unprocessable"
  | "too_large"
  | "unsupported_media_type"
  | "rate_limited"
  | "unavailable";

export interface FieldIssue {
  /** JSON Pointer (RFC 6901) into the request: `/body/slots/0/role`, `/query/cursor`. */
  pointer: string;
  reason: string;
}

export class VergewisError<C extends ErrorCode = ErrorCode> extends Error {
  readonly code: C;
  readonly kind: ErrorKind;

  constructor(code: C, kind: ErrorKind, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
    this.kind = kind;
  }
}

/** Codes of invalid input that names its fields; a code of its own says what a client can do about it. */
type ValidationCode = "invalid_request" | "removed_at_out_of_range" | "private_address" | "invalid_perceptual_hash";

export class ValidationError extends VergewisError<ValidationCode> {
  readonly issues: FieldIssue[];
  constructor(
    issues: FieldIssue[],
    message = "The request is not valid.",
    code: ValidationCode = "invalid_request",
    kind: Extract<ErrorKind, "invalid" | "unprocessable"> = "invalid",
  ) {
    super(code, kind, message);
    this.issues = issues;
  }
}

export class NotFoundError extends VergewisError<"not_found"> {
  constructor(what = "resource") {
    super("not_found", "not_found", `No such ${what}.`);
  }
}

export class UnauthenticatedError extends VergewisError<"unauthenticated"> {
  constructor(message = "A valid API key is required.") {
    super("unauthenticated", "unauthenticated", message);
  }
}

export class InvalidTransitionError extends VergewisError<"invalid_transition"> {
  constructor(
    readonly machine: string,
    readonly from: string,
    readonly to: string,
  ) {
    super("invalid_transition", "conflict", `A ${machine} cannot go from "${from}" to "${to}".`);
  }
}

export class ConflictError<C extends ErrorCode = ErrorCode> extends VergewisError<C> {
  constructor(code: C, message: string) {
    super(code, "conflict", message);
  }
}

export class IdempotencyKeyReusedError extends VergewisError<"idempotency_key_reused"> {
  constructor() {
    super(
      "idempotency_key_reused",
      "unprocessable",
      "This Idempotency-Key was already used with a different request. Use a new key for a new request.",
    );
  }
}

export class ConfigError extends VergewisError<"invalid_config"> {
  constructor(readonly issues: FieldIssue[]) {
    super("invalid_config", "invalid", issues.map((i) => `${i.pointer}: ${i.reason}`).join("\n"));
  }
}

export class MigrationDriftError extends VergewisError<"migration_drift"> {
  constructor(message: string) {
    super("migration_drift", "conflict", `Refusing to migrate: ${message}`);
  }
}

export class DatabaseLockedError extends VergewisError<"database_locked"> {
  readonly dir: string;
  readonly pid: number;
  constructor(dir: string, pid: number) {
    super(
      "database_locked",
      "conflict",
      `The embedded database in ${dir} is in use by process ${pid}. Only one process can open it: ` +
        "stop that process, or run against PostgreSQL (DATABASE_URL).",
    );
    this.dir = dir;
    this.pid = pid;
  }
}

/**
 * An operator command found no embedded database where it looked. Only `start` and `migrate`
 * create one: a command run from another directory must not quietly start a second installation.
 */
export class NoDataDirectoryError extends VergewisError<"no_data_directory"> {
  readonly dir: string;
  constructor(dir: string) {
    super(
      "no_data_directory",
      "not_found",
      `No Vergewis database in ${dir}: nothing was changed. Run the command in the directory where ` +
        "the server runs, or name its data directory with --data-dir DIR or VERGEWIS_DATA_DIR " +
        '(or DATABASE_URL for PostgreSQL). Only "vergewis start" and "vergewis migrate" create one.',
    );
    this.dir = dir;
  }
}

export class DatabaseUnavailableError extends VergewisError<"database_unavailable"> {
  constructor(options?: ErrorOptions) {
    super("database_unavailable", "unavailable", "The database is not reachable; try again shortly.", options);
  }
}

/**
 * The database has no room left (SQLSTATE 53100, disk_full): the write was rolled back and
 * nothing was saved. Temporary from the client's side, like an outage; the operator must act.
 */
export class StorageFullError extends VergewisError<"storage_full"> {
  constructor(options?: ErrorOptions) {
    super(
      "storage_full",
      "unavailable",
      "The server's storage is full, so nothing was saved; try again later.",
      options,
    );
  }
}

import type { ErrorCode } from "@vergewis/sdk";
import type { RequestHandler, Response } from "express";
import { ContentWithdrawnError } from "../content-block/errors.ts";
import { isDatabaseUnavailable, isStorageFull } from "../db/errors.ts";
import {
  DatabaseUnavailableError,
  NotFoundError,
  StorageFullError,
  ValidationError,
  VergewisError,
  type ErrorKind,
  type FieldIssue,
} from "../errors.ts";

/** The one place where domain errors become HTTP statuses. */
const STATUS: Record<ErrorKind, number> = {
  invalid: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  gone: 410,
  too_large: 413,
  unsupported_media_type: 415,
  unprocessable: 422,
  rate_limited: 429,
  unavailable: 503,
};

/** RFC 9110 §15 reason phrases: a problem's `title`, and the OpenAPI document's response descriptions. */
export const STATUS_TITLES: Record<number, string> = {
  304: "Not Modified",
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  405: "Method Not Allowed",
  409: "Conflict",
  410: "Gone",
  413: "Content Too Large",
  415: "Unsupported Media Type",
  422: "Unprocessable Content",
  429: "Too Many Requests",
  500: "Internal Server Error",
  503: "Service Unavailable",
};

/** The HTTP status of a domain error, for responses that are not problem+json (HTML pages). */
export const httpStatus = (error: VergewisError): number => STATUS[error.kind];

/** RFC 9457 §3 problem details, plus `code` (stable, for machines) and `errors` (invalid fields). */
export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance?: string;
  code: ErrorCode;
  errors?: FieldIssue[];
}

export function sendProblem(res: Response, error: VergewisError, typeBase: string): void {
  const status = STATUS[error.kind];
  const body: ProblemBody = {
    type: `${typeBase}/problems/${error.code}`,
    title: STATUS_TITLES[status] ?? "Error",
    status,
    detail: error.message,
    code: error.code,
  };
  if (error instanceof ValidationError || error instanceof ContentWithdrawnError) body.errors = error.issues;
  if (status === 401 && !res.hasHeader("www-authenticate"))
    res.setHeader("WWW-Authenticate", 'Bearer realm="vergewis"');
  res.status(status).type("application/problem+json").send(JSON.stringify(body));
}

export const notFound: RequestHandler = (req, _res, next) => next(new NotFoundError(`route ${req.method} ${req.path}`));

/** 500 for errors that are not ours: the client learns nothing but that it has been logged. */
export function sendInternalProblem(res: Response, typeBase: string): void {
  res
    .status(500)
    .type("application/problem+json")
    .send(
      JSON.stringify({
        type: `${typeBase}/problems/internal_error`,
        title: "Internal Server Error",
        status: 500,
        detail: "Something went wrong on our side. It has been logged; please try again.",
        code: "internal_error",
      } satisfies ProblemBody),
    );
}

interface BodyParserError {
  type: string;
  status?: number;
}

/**
 * The domain error an error stands for: ours as they are; body parsing and database failures
 * translated; anything else (a bug) undefined.
 */
export function translate(error: unknown): VergewisError | undefined {
  if (error instanceof VergewisError) return error;
  if (isBodyParserError(error)) {
    switch (error.type) {
      case "entity.too.large":
        return new VergewisError("body_too_large", "too_large", "The request body is larger than 100 kB.");
      case "entity.parse.failed":
        return new VergewisError("malformed_json", "invalid", "The request body is not valid JSON.");
      case "encoding.unsupported":
      case "charset.unsupported":
        return new VergewisError(
          "unsupported_encoding",
          "unsupported_media_type",
          "Send the body as UTF-8 JSON without content encoding.",
        );
      case "request.aborted":
      case "request.size.invalid":
        return new VergewisError("malformed_request", "invalid", "The request body was incomplete.");
      default:
        if (error.status && error.status < 500)
          return new VergewisError("malformed_request", "invalid", "The request could not be read.");
    }
  }
  if (isDatabaseUnavailable(error)) return new DatabaseUnavailableError({ cause: error });
  if (isStorageFull(error)) return new StorageFullError({ cause: error });
  return undefined;
}

const isBodyParserError = (e: unknown): e is BodyParserError =>
  typeof e === "object" && e !== null && typeof (e as { type?: unknown }).type === "string" && "expose" in e;

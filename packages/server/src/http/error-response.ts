import type { ErrorRequestHandler, Request, Response } from "express";
import type { Logger } from "pino";
import { StorageFullError, type VergewisError } from "../errors.ts";
import type { Locale } from "../web/i18n.ts";
import { httpStatus, sendInternalProblem, sendProblem, translate } from "./problem.ts";

/**
 * An area's error page in the reader's language: its title and one sentence chosen by the error's
 * code or kind, never the error's own (English, technical) text. `error` is undefined for an
 * error that is not ours.
 */
export type ErrorPage = (req: Request, res: Response, error: VergewisError | undefined) => ErrorPageMarkup;

export interface ErrorPageMarkup {
  locale: Locale;
  markup: string;
}

/** Pages for people under one path prefix, such as the portal or the auditors' console. */
export interface PageArea {
  prefix: string;
  page: ErrorPage;
}

// Routes for programs answer problem+json whatever the client accepts, even under a page prefix.
const API_PREFIXES = ["/v1", "/portal/api", "/.well-known", "/assets", "/problems", "/healthz", "/readyz"];

/** When a person may try again after an outage (pages only: the SDK has its own back-off). */
export const OUTAGE_RETRY_AFTER_SECONDS = "30";

const isUnder = (path: string, prefix: string) => path === prefix || path.startsWith(`${prefix}/`);

/**
 * The one decision between an HTML page and problem+json. By route kind first: API routes are
 * problem+json and page areas are pages, whatever Accept says. A path that is neither (an unknown
 * one) is a page only for a browser that navigates there, that is, prefers HTML.
 */
export function errorPageFor(req: Request, areas: readonly PageArea[]): ErrorPage | undefined {
  // Routing ignores case, so the decision does too.
  const path = (req.originalUrl.split("?")[0] ?? "/").toLowerCase();
  if (API_PREFIXES.some((prefix) => isUnder(path, prefix))) return undefined;
  const area = areas.find((a) => isUnder(path, a.prefix));
  if (area) return area.page;
  const navigating = req.accepts(["application/problem+json", "application/json", "text/html"]) === "text/html";
  return navigating ? areas[0]?.page : undefined;
}

/**
 * Final error handler. Errors that are not ours (body parsing, database driver, bugs) are
 * translated here, so a program always gets problem+json and a person always a page with the
 * same status.
 */
export function errorHandler(typeBase: string, log: Logger, areas: readonly PageArea[]): ErrorRequestHandler {
  return (error: unknown, req: Request, res: Response, next) => {
    if (res.headersSent) return next(error);
    const known = translate(error);
    if (known instanceof StorageFullError)
      log.error({ err: error, reqId: req.id }, "the database's disk is full: writes are refused until space is freed");
    if (!known) log.error({ err: error, reqId: req.id }, "unhandled error");
    const page = errorPageFor(req, areas);
    if (!page) return known ? sendProblem(res, known, typeBase) : sendInternalProblem(res, typeBase);
    const status = known ? httpStatus(known) : 500;
    const { locale, markup } = page(req, res, known);
    // 429 carries the limiter's own Retry-After.
    if (status === 503) res.setHeader("Retry-After", OUTAGE_RETRY_AFTER_SECONDS);
    res.removeHeader("Content-Disposition");
    res.setHeader("Cache-Control", "no-store");
    res.setHeader("Content-Language", locale);
    res.status(status).type("html").send(markup);
  };
}

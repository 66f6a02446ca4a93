import type { ErrorCode } from "@vergewis/sdk";
import type { ErrorKind } from "../errors.ts";
import type { ErrorPage } from "../http/error-response.ts";
import { negotiateLocale } from "../web/i18n.ts";
import { authenticatedAuditor } from "../http/auditor-auth.ts";
import { messagePage } from "./events-page.ts";
import { translate, type MessageKey } from "./messages.ts";

const BY_CODE: Partial<Record<ErrorCode, MessageKey>> = {
  cross_origin_request: "error.crossOrigin",
  out_of_scope: "error.outOfScope",
};

const BY_KIND: Partial<Record<ErrorKind, MessageKey>> = {
  not_found: "error.notFound",
  invalid: "error.invalid",
  rate_limited: "error.rateLimited",
  too_large: "error.tooLarge",
  unsupported_media_type: "error.unsupported",
  unavailable: "error.unavailable",
};

/**
 * The console's error page: the reader's language, one sentence chosen by the error's code or
 * kind (never the error's own English text) and the way back to the dashboard.
 */
export const consoleErrorPage: ErrorPage = (req, res, error) => {
  const locale = negotiateLocale(req, res);
  const t = translate(locale);
  const entry = error?.kind === "not_found" && req.originalUrl.toLowerCase().startsWith("/audit/events/");
  const key = entry ? "event.notFound" : ((error && (BY_CODE[error.code] ?? BY_KIND[error.kind])) ?? "error.generic");
  return { locale, markup: messagePage(locale, t, req.originalUrl, authenticatedAuditor(req), t(key)) };
};

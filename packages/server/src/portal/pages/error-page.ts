import type { ErrorCode } from "@vergewis/sdk";
import type { ServerContext } from "../../context.ts";
import type { ErrorKind } from "../../errors.ts";
import type { ErrorPage } from "../../http/error-response.ts";
import { sessionOf } from "../session.ts";
import { csrfToken } from "../../session/store.ts";
import { negotiateLocale } from "../../web/i18n.ts";
import { messagePage } from "./message-page.ts";
import { translate, type MessageKey } from "./messages.ts";
import type { View } from "./shell.ts";

// Error codes whose page text is their own catalogue entry.
const BY_CODE: Partial<Record<ErrorCode, MessageKey>> = {
  csrf_token_invalid: "error.csrf",
  cross_origin_request: "error.csrf",
  invitation_invalid: "error.invitation_invalid",
  already_in_publication: "error.already_in_publication",
  invitation_taken: "error.invitation_taken",
  content_withdrawn: "error.content_withdrawn",
  block_not_active: "error.block_not_active",
  slot_not_open: "error.closed",
  publication_not_pending: "error.closed",
  invitation_expired: "error.closed",
  consent_not_active: "error.consent_not_active",
};

// Then by kind; anything else gets a general sentence.
const BY_KIND: Partial<Record<ErrorKind, MessageKey>> = {
  not_found: "error.notFound",
  rate_limited: "error.rate_limited",
  too_large: "error.too_large",
  unsupported_media_type: "error.unsupported_media_type",
  unavailable: "error.unavailable",
};

/**
 * The portal's error page (performer pages, invitation links, age verification): the reader's
 * language, a title, one sentence and the way back to the portal. Nothing of the error's own text.
 */
export function portalErrorPage(ctx: ServerContext): ErrorPage {
  return (req, res, error) => {
    const locale = negotiateLocale(req, res);
    const t = translate(locale);
    const session = sessionOf(req);
    const view: View = {
      locale,
      t,
      path: req.originalUrl,
      csrfToken: session ? csrfToken(ctx.secret, session) : "",
      performer: null,
    };
    const key = error && (BY_CODE[error.code] ?? BY_KIND[error.kind]);
    const title =
      error?.kind === "not_found" ? t("error.notFoundTitle") : key ? t("error.formTitle") : t("error.title");
    return { locale, markup: messagePage(view, title, t(key ?? "error.generic")) };
  };
}

import { CSRF_FIELD } from "../session.ts";
import { html, jsonData, type SafeHtml } from "../../web/html.ts";
import type { Locale } from "../../web/i18n.ts";
import { page } from "../../web/layout.ts";
import type { PerformerSummary } from "../performer.ts";
import { en, type MessageKey, type Translate } from "./messages.ts";

/** What every portal page knows about its request. */
export interface View {
  locale: Locale;
  t: Translate;
  /** The request's path and query, for the language switcher. */
  path: string;
  csrfToken: string;
  /** The logged-in performer, or null. */
  performer: PerformerSummary | null;
}

export interface PortalPage {
  title: string;
  body: SafeHtml;
  /** The page runs a passkey ceremony: load the WebAuthn library and the portal's script. */
  passkeys?: boolean;
  /** Page scripts beyond the passkey ceremonies', loaded after them. */
  scripts?: string[];
}

// The texts the script shows: it has no catalogue of its own.
const SCRIPT_MESSAGES = (Object.keys(en) as MessageKey[]).filter(
  (k) => k === "working" || k === "delete.needConfirm" || k.startsWith("error."),
);

/** A portal page in the common layout of Vergewis pages. */
export function portalPage(view: View, p: PortalPage): string {
  const { t } = view;
  const nav =
    view.performer &&
    html`<nav class="sections" aria-label="${t("nav.label")}">
<a href="/portal"${current(view, "/portal")}>${t("nav.dashboard")}</a>
<a href="/portal/data"${current(view, "/portal/data")}>${t("nav.data")}</a>
<a href="/portal/account"${current(view, "/portal/account")}>${t("nav.account")}</a>
<form method="post" action="/portal/logout" class="inline">${csrfField(view)}<button type="submit" class="link">${t("nav.logout")}</button></form>
</nav>`;
  const data = p.passkeys
    ? jsonData("portal-data", {
        csrfToken: view.csrfToken,
        messages: Object.fromEntries(SCRIPT_MESSAGES.map((k) => [k, t(k)])),
      })
    : "";
  return page({
    locale: view.locale,
    title: p.title,
    path: view.path,
    area: t("area"),
    skipLabel: t("skip"),
    ...(nav && { nav }),
    styles: ["/assets/portal/portal.css"],
    scripts: [
      ...(p.passkeys ? ["/assets/vendor/simplewebauthn-browser.js", "/assets/portal/passkeys.js"] : []),
      ...(p.scripts ?? []),
    ],
    body: html`${data}<h1>${p.title}</h1>
${p.passkeys ? html`<noscript><p class="notice warn">${t("noscript")}</p></noscript>` : ""}
${p.body}`,
  }).value;
}

const current = (view: View, path: string) =>
  new URL(view.path, "http://localhost").pathname === path ? html` aria-current="page"` : "";

/** The hidden CSRF field of the portal's forms. */
export const csrfField = (view: View): SafeHtml =>
  html`<input type="hidden" name="${CSRF_FIELD}" value="${view.csrfToken}">`;

/**
 * Where a passkey ceremony reports progress and errors. The live region is in the page from the
 * start (a region that appears with its text is not reliably announced); the script puts a
 * notice into it, with `role="alert"` for errors.
 */
export const passkeyStatus = (): SafeHtml => html`<div id="passkey-status" role="status" aria-live="polite"></div>`;

import { html, type SafeHtml } from "../web/html.ts";
import type { Locale } from "../web/i18n.ts";
import { page } from "../web/layout.ts";
import type { Auditor } from "../audit/auditor-token.ts";
import type { Translate } from "./messages.ts";

export interface ConsolePage {
  locale: Locale;
  t: Translate;
  /** The request's path and query, for the language switcher. */
  path: string;
  title: string;
  /** Signed-in pages show the sections, the scope and the sign-out button. */
  auditor?: Auditor | undefined;
  body: SafeHtml;
  /** Charts: uPlot and its styles. Every console page with data loads the console script. */
  charts?: boolean;
  script?: boolean;
}

/** A console page in the common layout of Vergewis pages. */
export function consolePage(p: ConsolePage): string {
  const { t, auditor } = p;
  const nav =
    auditor &&
    html`<nav class="sections" aria-label="${t("area")}">
      <a href="/audit">${t("nav.dashboard")}</a>
      <a href="/audit/events?order=desc">${t("nav.events")}</a>
      <a href="/audit/reports">${t("nav.reports")}</a>
      <span class="muted scope">${auditor.scope.kind === "all" ? t("scope.all") : t("scope.platform", { id: auditor.scope.platformId })}</span>
      <form method="post" action="/audit/logout" class="inline"><button type="submit" class="secondary small">${t("nav.signOut")}</button></form>
    </nav>`;
  return page({
    locale: p.locale,
    title: p.title,
    path: p.path,
    area: t("area"),
    skipLabel: t("skip"),
    wide: true,
    ...(nav && { nav }),
    styles: ["/assets/audit-console.css", ...(p.charts ? ["/assets/vendor/uplot.css"] : [])],
    scripts: [
      ...(p.charts ? ["/assets/vendor/uplot.js"] : []),
      ...(p.charts || p.script ? ["/assets/audit-console.js"] : []),
    ],
    body: html`<h1>${p.title}</h1>${p.body}`,
  }).value;
}

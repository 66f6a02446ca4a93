import { PURPOSES, type Fingerprint, type Scope } from "@vergewis/sdk";
import { html, type SafeHtml } from "../../web/html.ts";
import type { OverviewStatus } from "../overview.ts";
import type { TakedownProgress } from "../../takedown/progress.ts";
import { countryNames, duration, formatDate, formatDateTime, listOf } from "./format.ts";
import { csrfField, type View } from "./shell.ts";

// Pieces that several portal pages share.

const BADGE: Record<OverviewStatus, string> = {
  pending: "warn",
  active: "ok",
  revoked: "bad",
  expired: "neutral",
  declined: "neutral",
  closed: "neutral",
};

export const statusBadge = (view: View, status: OverviewStatus): SafeHtml =>
  html`<span class="badge ${BADGE[status]}" data-status="${status}">${view.t(`status.${status}`)}</span>`;

// Beyond this many countries a sentence is no longer readable: the count, and the list on demand.
const MAX_LISTED_COUNTRIES = 12;

/** The scope in plain words: where, for what, until when. */
export function scopeSection(view: View, scope: Scope, platform: string, given = false): SafeHtml {
  const { t, locale } = view;
  const names = countryNames(locale, scope.territories);
  const where =
    names.length <= MAX_LISTED_COUNTRIES
      ? t("scope.whereValue", { countries: listOf(locale, names) })
      : html`${t("scope.whereValue", { countries: t("scope.countries", { n: names.length }) })}
<details><summary>${t("scope.countries", { n: names.length })}</summary><p>${listOf(locale, names)}</p></details>`;
  return html`<section class="card" aria-labelledby="scope-title">
<h2 id="scope-title">${t(given ? "scope.titleGiven" : "scope.title")}</h2>
<dl class="facts">
<dt>${t("scope.where")}</dt><dd data-scope="where">${where}</dd>
<dt>${t("scope.forWhat")}</dt><dd data-scope="purposes"><ul class="plain">${PURPOSES.filter((p) => scope.purposes.includes(p)).map((p) => html`<li>${t(`scope.purpose.${p}`, { platform })}</li>`)}</ul></dd>
<dt>${t("scope.until")}</dt><dd data-scope="until">${t("scope.untilValue", { date: formatDate(locale, scope.validUntil), platform })}</dd>
</dl>
</section>`;
}

/** The content fingerprints, and what they mean for the consent. */
export const fingerprintsSection = (view: View, fingerprints: Fingerprint[]): SafeHtml =>
  html`<section class="card" aria-labelledby="files-title">
<h2 id="files-title">${view.t("files.title")}</h2>
<p>${view.t("files.body")}</p>
<ul class="plain fingerprints">${fingerprints.map((f) => html`<li><span class="muted">${f.alg}</span> <code>${f.value}</code></li>`)}</ul>
</section>`;

/** What withdrawing will do, said before anyone signs. */
export const revokeInfo = (view: View, platform: string, slaSeconds: number): SafeHtml =>
  html`<section class="card" aria-labelledby="revoke-info-title">
<h2 id="revoke-info-title">${view.t("revokeInfo.title")}</h2>
<p>${view.t("revokeInfo.body", { platform, sla: duration(view.locale, slaSeconds) })}</p>
</section>`;

/** One sentence on where a revoked consent's takedown stands. */
export function takedownLine(view: View, progress: TakedownProgress, platform: string): string {
  const { t, locale } = view;
  switch (progress.state) {
    case "requested":
      return t(progress.overdue ? "takedown.overdue" : "takedown.requested", {
        platform,
        due: formatDateTime(locale, progress.dueAt),
      });
    case "removed":
      return t("takedown.removed", { platform, date: formatDateTime(locale, progress.removedAt) });
    default:
      return t(`takedown.${progress.state}`);
  }
}

/** The form to type an invitation code into. */
export const codeForm = (view: View, invalid = false): SafeHtml =>
  html`<form method="post" action="/portal/invitation" class="card" novalidate>
${invalid ? html`<p class="notice bad" role="alert" id="code-error">${view.t("code.invalid")}</p>` : ""}
${csrfField(view)}
<label for="code">${view.t("code.label")}</label>
<input id="code" name="code" type="text" inputmode="text" autocomplete="one-time-code" autocapitalize="characters" spellcheck="false" maxlength="64" required aria-describedby="code-hint${invalid ? " code-error" : ""}"${invalid ? html` aria-invalid="true"` : ""}>
<p class="hint" id="code-hint">${view.t("code.hint")}</p>
<div class="actions"><button type="submit" class="secondary">${view.t("code.submit")}</button></div>
</form>`;

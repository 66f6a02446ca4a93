import { html, type SafeHtml } from "../../web/html.ts";
import type { Overview, OverviewItem } from "../overview.ts";
import { formatDate, formatDateTime, timeAgo } from "./format.ts";
import { statusBadge, takedownLine } from "./parts.ts";
import { portalPage, type View } from "./shell.ts";

/**
 * Every request and consent of the performer, grouped by platform, with its status; a withdrawn
 * consent shows where its takedown stands and how long ago it was withdrawn.
 */
export function dashboardPage(view: View, overview: Overview, now = new Date()): string {
  const { t } = view;
  const age = view.performer?.ageVerification;
  const renew =
    age && !age.fresh
      ? html`<p class="notice warn">${t("dashboard.renew")} <a href="/portal/verify/start?returnTo=/portal">${t("account.ageAgain")}</a></p>`
      : "";
  const groups = overview.groups.map(
    (group) => html`<section class="platform" aria-labelledby="platform-${group.platform.id}">
<h2 id="platform-${group.platform.id}">${group.platform.name}</h2>
<ul class="items" aria-label="${t("dashboard.itemsOf", { platform: group.platform.name })}">
${group.items.map((item) => itemCard(view, item, group.platform.name, now))}
</ul>
</section>`,
  );
  return portalPage(view, {
    title: t("dashboard.title"),
    body: html`${renew}
${overview.groups.length === 0 ? html`<p class="card">${t("dashboard.empty")}</p>` : groups}
<p><a href="/portal/invitation">${t("dashboard.enterCode")}</a></p>`,
  });
}

function itemCard(view: View, item: OverviewItem, platform: string, now: Date): SafeHtml {
  const { t, locale } = view;
  const href = item.consentId ? `/portal/consents/${item.consentId}` : `/portal/requests/${item.slotId}`;
  const time = (iso: string, text: string) =>
    html`<time datetime="${iso}" title="${formatDateTime(locale, iso)}">${text}</time>`;
  let meta: SafeHtml | string = "";
  let actions: SafeHtml | string = "";
  switch (item.status) {
    case "pending":
      meta = t("dashboard.answerBy", { date: formatDateTime(locale, item.answerBy) });
      actions = html`<a class="button small" href="${href}">${t("dashboard.review")}</a>`;
      break;
    case "active": {
      const until = t("dashboard.validUntil", { date: formatDate(locale, item.publication.scope.validUntil) });
      meta = item.signedAt ? `${t("dashboard.signed", { date: formatDate(locale, item.signedAt) })} · ${until}` : until;
      actions = html`<a class="button small secondary" href="${href}">${t("dashboard.details")}</a>
<a class="button small secondary danger-text" href="${href}/revoke">${t("dashboard.revoke")}</a>`;
      break;
    }
    case "revoked":
      if (item.revokedAt) {
        const ago = timeAgo(locale, item.revokedAt, now, t("justNow"));
        meta = html`${time(item.revokedAt, t("dashboard.revokedAgo", { ago }))}
${item.takedown ? html`<br><span data-takedown="${item.takedown.state}">${takedownLine(view, item.takedown, platform)}</span>` : ""}`;
      }
      break;
    case "declined":
      if (item.decidedAt) meta = t("dashboard.declined", { date: formatDate(locale, item.decidedAt) });
      break;
  }
  return html`<li class="item card" data-slot="${item.slotId}"${item.consentId ? html` data-consent="${item.consentId}"` : ""}>
<div class="item-head"><h3><a href="${href}">${item.publication.title}</a></h3>${statusBadge(view, item.status)}</div>
${meta ? html`<p class="meta">${meta}</p>` : ""}
${actions ? html`<div class="actions">${actions}</div>` : ""}
</li>`;
}

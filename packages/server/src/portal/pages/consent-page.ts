import { html, type SafeHtml } from "../../web/html.ts";
import type { ConsentDetail } from "../consent-detail.ts";
import type { OverviewStatus } from "../overview.ts";
import type { TakedownProgress } from "../../takedown/progress.ts";
import { formatDateTime, timeAgo } from "./format.ts";
import { fingerprintsSection, scopeSection, statusBadge, takedownLine } from "./parts.ts";
import { portalPage, type View } from "./shell.ts";

/**
 * One consent: what it covers (as signed), its status, and for a withdrawn one the takedown's
 * progress step by step; the signed record for those who want to check it.
 */
export function consentPage(view: View, c: ConsentDetail, now = new Date()): string {
  const { t, locale } = view;
  const platform = c.platform.name;
  const status: OverviewStatus = c.status === "revoked" ? "revoked" : c.lapsed ? "expired" : "active";
  return portalPage(view, {
    title: c.publication.title,
    body: html`<section class="card">
<dl class="facts">
<dt>${t("consent.status")}</dt><dd>${statusBadge(view, status)}</dd>
<dt>${t("consent.platform")}</dt><dd>${platform}</dd>
<dt>${t("consent.signedOn")}</dt><dd>${formatDateTime(locale, c.createdAt)}</dd>
${c.revokedAt ? html`<dt>${t("consent.withdrawnOn")}</dt><dd>${formatDateTime(locale, c.revokedAt)}</dd>` : ""}
</dl>
${status === "active" ? html`<div class="actions"><a class="button danger" href="/portal/consents/${c.id}/revoke">${t("consent.revoke")}</a></div>` : ""}
</section>
${c.revokedAt && c.takedown ? progress(view, c, c.revokedAt, c.takedown, now) : ""}
${blockSection(view, c)}
${scopeSection(view, c.document.scope, platform, true)}
${fingerprintsSection(view, c.document.contentFingerprints)}
<section class="card" aria-labelledby="record-title">
<h2 id="record-title">${t("consent.recordTitle")}</h2>
<p>${t("consent.recordBody")}</p>
<dl class="facts">
<dt>${t("consent.documentHash")}</dt><dd><code>${c.documentHash}</code></dd>
${c.receipt ? html`<dt>${t("consent.receipt")}</dt><dd><details><summary>JWS</summary><code class="block">${c.receipt}</code></details></dd>` : ""}
</dl>
<p><a href="/portal/data">${t("consent.download")}</a></p>
</section>`,
  });
}

/** A withdrawn consent blocks its content until the performer allows it again; here they can. */
function blockSection(view: View, c: ConsentDetail): SafeHtml | "" {
  const { t, locale } = view;
  const platform = c.platform.name;
  if (!c.block) return "";
  if (c.block.state === "lifted") {
    return html`<section class="card" aria-labelledby="block-title" data-block="lifted">
<h2 id="block-title">${t("consent.allow")}</h2>
<p>${t("consent.allowedOn", { date: formatDateTime(locale, c.block.liftedAt), platform })}</p>
${c.block.stillBlocked ? html`<p class="notice">${t("consent.stillBlocked")}</p>` : ""}
</section>`;
  }
  return html`<section class="card" aria-labelledby="block-title" data-block="blocked">
<h2 id="block-title">${t("consent.blockTitle")}</h2>
<p>${t("consent.blockBody", { platform })}</p>
<div class="actions"><a class="button secondary" href="/portal/consents/${c.id}/allow">${t("consent.allow")}</a></div>
</section>`;
}

/** The takedown after a withdrawal, as a list of steps: done, current, to come. */
function progress(view: View, c: ConsentDetail, revokedAt: string, takedown: TakedownProgress, now: Date): SafeHtml {
  const { t, locale } = view;
  const platform = c.platform.name;
  const when = (iso: string) =>
    html`<time datetime="${iso}">${formatDateTime(locale, iso)}</time> <span class="muted">(${timeAgo(locale, iso, now, t("justNow"))})</span>`;
  const steps: SafeHtml[] = [html`<li class="done">${t("consent.stepRevoked")}<br>${when(revokedAt)}</li>`];
  if (takedown.state === "requested" || takedown.state === "removed") {
    steps.push(html`<li class="done">${t("consent.stepTold", { platform })}<br>${when(takedown.requestedAt)}</li>`);
    steps.push(
      takedown.state === "removed"
        ? html`<li class="done" data-step="removed">${t("consent.stepRemoved", { platform })}<br>${when(takedown.removedAt)}</li>`
        : html`<li class="${takedown.overdue ? "late" : "current"}" data-step="waiting" aria-current="step">${t("consent.stepWaiting", { platform })}<br>${t("consent.stepDue", { date: formatDateTime(locale, takedown.dueAt) })}${takedown.overdue ? html`<br><strong>${t("consent.stepOverdue")}</strong>` : ""}</li>`,
    );
  } else {
    steps.push(html`<li class="done">${takedownLine(view, takedown, platform)}</li>`);
  }
  return html`<section class="card" aria-labelledby="progress-title" data-takedown="${takedown.state}">
<h2 id="progress-title">${t("consent.progressTitle")}</h2>
<ol class="steps">${steps}</ol>
${takedown.state === "requested" ? html`<p><a href="/portal/consents/${c.id}">${t("consent.refresh")}</a></p>` : ""}
</section>`;
}

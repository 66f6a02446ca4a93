import type { RequestView } from "../../consent/read.ts";
import { html, type SafeHtml } from "../../web/html.ts";
import { formatDate, formatDateTime } from "./format.ts";
import { fingerprintsSection, revokeInfo, scopeSection } from "./parts.ts";
import { reviewItemsSection } from "./review-items.ts";
import { csrfField, passkeyStatus, portalPage, type View } from "./shell.ts";

export interface RequestPageOptions {
  /** The performer's age attestation is fresh enough to sign with. */
  fresh: boolean;
  /** What it shows of their age on the day the content was made (identity/production-age.ts). */
  production: "adult" | "minor" | "unverified";
  now?: Date;
}

/**
 * A consent request as its performer reviews it: the platform, its title and preview (labelled as
 * the platform's words), every content item shown and checked against its fingerprint, the scope
 * in plain words, the fingerprints and what withdrawing will do, all before the passkey signs;
 * then sign or decline. Answered and closed requests say so instead.
 */
export function requestPage(view: View, r: RequestView, options: RequestPageOptions): string {
  const { t, locale } = view;
  const platform = r.platform.name;
  const title = r.publication.title;
  const now = options.now ?? new Date();
  const answerable =
    r.status === "open" && r.publication.status === "pending" && Date.parse(r.expiresAt) > now.getTime();
  const preview = r.publication.previewUrl?.startsWith("https://")
    ? html`<figure class="preview-frame"><img class="preview" src="${r.publication.previewUrl}" alt="${t("request.previewAlt", { title, platform })}" referrerpolicy="no-referrer" decoding="async"><figcaption class="muted">${t("request.previewCaption", { platform })}</figcaption></figure>`
    : html`<p class="muted">${t("request.noPreview")}</p>`;
  const items = r.publication.reviewItems;
  const signing = answerable && options.fresh;
  return portalPage(view, {
    title: t("invitation.title", { platform }),
    passkeys: signing && options.production === "adult",
    scripts: signing && options.production === "adult" && items.length > 0 ? ["/assets/portal/review.js"] : [],
    body: html`<p class="lead">${t("invitation.summary", { platform, title })}</p>
${outcome(view, r, answerable)}
<section class="card">
${preview}
<p class="notice" data-field="platform-words">${t("request.platformWords", { platform })}</p>
<dl class="facts">
<dt>${t("request.title", { platform })}</dt><dd data-field="title">${title}</dd>
<dt>${t("request.role")}</dt><dd>${t(`role.${r.role}`)}</dd>
${r.publication.producedAt ? html`<dt>${t("request.producedAt")}</dt><dd data-field="producedAt">${formatDate(locale, r.publication.producedAt)}</dd>` : ""}
${answerable ? html`<dt>${t("request.answerBy")}</dt><dd>${formatDateTime(locale, r.expiresAt)}</dd>` : ""}
</dl>
</section>
${answerable ? reviewItemsSection(view, items, platform) : ""}
${scopeSection(view, r.publication.scope, platform)}
${fingerprintsSection(view, r.publication.contentFingerprints)}
${revokeInfo(view, platform, r.platform.slaSeconds)}
${answerable ? answer(view, r, options) : ""}`,
  });
}

function outcome(view: View, r: RequestView, answerable: boolean): SafeHtml | "" {
  const { t, locale } = view;
  const decided = r.decidedAt ? formatDate(locale, r.decidedAt) : "";
  if (r.consent) {
    return html`<p class="notice ok" data-outcome="consented">${t("request.consented", { date: decided })}
<a href="/portal/consents/${r.consent.id}">${t("request.viewConsent")}</a></p>`;
  }
  if (r.status === "declined") {
    return html`<p class="notice" data-outcome="declined">${t("request.declined", { date: decided, platform: r.platform.name })}</p>`;
  }
  return answerable ? "" : html`<p class="notice" data-outcome="closed">${t("request.closed")}</p>`;
}

function answer(view: View, r: RequestView, options: RequestPageOptions): SafeHtml {
  const { t } = view;
  const platform = r.platform.name;
  const verifyAgain = `/portal/verify/start?returnTo=${new URL(view.path, "http://localhost").pathname}&for=${r.slotId}`;
  const producedOn = r.publication.producedAt ? formatDate(view.locale, r.publication.producedAt) : "";
  // Disabled until static/portal/review.js has shown and checked every content item.
  const review = r.publication.reviewItems.length > 0;
  const sign = !options.fresh
    ? html`<p class="notice warn">${t("request.renew")}</p>
<a class="button" href="${verifyAgain}">${t("request.renewButton")}</a>`
    : options.production === "minor"
      ? html`<p class="notice warn" data-outcome="under-18">${t("request.under18", { date: producedOn, platform })}</p>`
      : options.production === "unverified"
        ? html`<p class="notice warn" data-outcome="production-age">${t("request.productionAge", { date: producedOn })}</p>
<a class="button" href="${verifyAgain}">${t("request.productionAgeButton")}</a>`
        : html`<button type="button" id="sign" data-passkey="sign" data-slot="${r.slotId}"${review ? html` disabled` : ""}>${t("request.sign")}</button>
${review ? html`<p class="hint" id="review-waiting">${t("review.waiting")}</p>` : ""}
<p class="hint">${t("request.signHint")}</p>
${passkeyStatus()}`;
  return html`<section class="card answer">
${sign}
<form method="post" action="/portal/requests/${r.slotId}/decline" class="decline">
${csrfField(view)}
<button type="submit" class="secondary" id="decline">${t("request.decline")}</button>
<p class="hint">${t("request.declineHint", { platform })}</p>
</form>
</section>`;
}

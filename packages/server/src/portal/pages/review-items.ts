import { html, jsonData, type SafeHtml } from "../../web/html.ts";
import type { View } from "./shell.ts";

export interface ReviewableItemView {
  sha256: string;
  reviewUrl: string;
}

/** The texts static/portal/review.js shows, in the reader's language, with the platform named. */
const REVIEW_MESSAGES = ["loading", "verified", "mismatch", "failed", "unsupported"] as const;

/**
 * Every content item of a request, fetched by the performer's browser from the platform's review
 * URL (static/portal/review.js), checked against its sha-256 fingerprint and shown from the
 * checked bytes. The consent button stays disabled until every item is shown and checked.
 */
export function reviewItemsSection(view: View, items: readonly ReviewableItemView[], platform: string): SafeHtml {
  const { t } = view;
  if (items.length === 0) {
    return html`<section class="card" aria-labelledby="review-title">
<h2 id="review-title">${t("review.title")}</h2>
<p>${t("review.none", { platform })}</p>
</section>`;
  }
  const messages = Object.fromEntries(REVIEW_MESSAGES.map((k) => [k, t(`review.${k}`, { platform })]));
  return html`<section class="card review" aria-labelledby="review-title">
<h2 id="review-title">${t("review.title")}</h2>
<p>${t("review.body", { platform })}</p>
${jsonData("review-data", { messages })}
<ol class="plain review-items">${items.map(
    (
      item,
      i,
    ) => html`<li class="review-item" data-review-url="${item.reviewUrl}" data-sha256="${item.sha256}" data-state="pending">
<h3>${t("review.item", { n: i + 1, count: items.length })}</h3>
<div class="review-view"></div>
<p class="notice review-status" role="status" aria-live="polite">${t("review.loading", { platform })}</p>
<p class="muted">sha-256 <code>${item.sha256}</code></p>
</li>`,
  )}</ol>
</section>`;
}

/** The review URLs' origins: the only hosts the page may fetch from (its CSP's connect-src). */
export const reviewOrigins = (items: readonly ReviewableItemView[]): string[] => [
  ...new Set(items.map((i) => new URL(i.reviewUrl).origin)),
];

import { html } from "../../web/html.ts";
import { listOf } from "./format.ts";
import { passkeyStatus, portalPage, type View } from "./shell.ts";

export interface DeletionPreview {
  /** Titles of the publications whose consents will be withdrawn. */
  revokes: Array<{ consentId: string; title: string; platform: string }>;
  /** Titles of the open requests that will be declined. */
  declines: string[];
}

/**
 * Delete the account: what will be withdrawn, declined, erased and kept, a box to tick, and one
 * passkey signature over the deletion document that names it all.
 */
export function deletePage(view: View, preview: DeletionPreview): string {
  const { t, locale } = view;
  return portalPage(view, {
    title: t("delete.title"),
    passkeys: true,
    body: html`<section class="card">
<p>${t("delete.intro")}</p>
<ul>
${
  preview.revokes.length
    ? html`<li>${t("delete.revokes")}<ul id="delete-revokes">${preview.revokes.map((r) => html`<li>“${r.title}” (${r.platform})</li>`)}</ul></li>`
    : html`<li>${t("delete.revokesNone")}</li>`
}
${
  preview.declines.length
    ? html`<li>${t("delete.declines", {
        titles: listOf(
          locale,
          preview.declines.map((d) => `“${d}”`),
        ),
      })}</li>`
    : ""
}
<li>${t("delete.erased")}</li>
</ul>
</section>
<section class="card" aria-labelledby="kept-title">
<h2 id="kept-title">${t("delete.keptTitle")}</h2>
<p>${t("delete.keptBody")}</p>
<p><a href="/portal/data">${t("delete.export")}</a></p>
</section>
<section class="card">
<p class="check"><input type="checkbox" id="confirm-delete" required><label for="confirm-delete">${t("delete.confirm")}</label></p>
<button type="button" class="danger" id="delete" data-passkey="delete" data-confirm="confirm-delete">${t("delete.button")}</button>
${passkeyStatus()}
</section>`,
  });
}

import { html } from "../../web/html.ts";
import { portalPage, type View } from "./shell.ts";

/** My data: what the export holds, and the download (GDPR art. 15 and 20). */
export function dataPage(view: View, pseudonym: string): string {
  const { t } = view;
  return portalPage(view, {
    title: t("data.title"),
    body: html`<p>${t("data.pseudonym", { pseudonym })}</p>
<section class="card">
<p>${t("data.intro")}</p>
<ul>
<li>${t("data.itemVerification")}</li>
<li>${t("data.itemPasskeys")}</li>
<li>${t("data.itemRequests")}</li>
<li>${t("data.itemConsents")}</li>
<li>${t("data.itemLog")}</li>
</ul>
<p>${t("data.rights")}</p>
<a class="button" href="/portal/data/export" download>${t("data.download")}</a>
</section>`,
  });
}

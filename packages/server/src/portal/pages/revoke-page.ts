import { html } from "../../web/html.ts";
import type { ConsentDetail } from "../consent-detail.ts";
import { duration } from "./format.ts";
import { passkeyStatus, portalPage, type View } from "./shell.ts";

/** Withdraw a consent: the consequences first, then one passkey confirmation. */
export function revokePage(view: View, c: ConsentDetail): string {
  const { t } = view;
  const platform = c.platform.name;
  const back = `/portal/consents/${c.id}`;
  if (c.status !== "active" || c.lapsed) {
    return portalPage(view, {
      title: t("revoke.title"),
      body: html`<p class="notice">${t("revoke.notActive")}</p><p><a href="${back}">${t("error.back")}</a></p>`,
    });
  }
  return portalPage(view, {
    title: t("revoke.title"),
    passkeys: true,
    body: html`<p class="lead">${t("revoke.intro", { title: c.publication.title, platform })}</p>
<section class="card" aria-labelledby="what-title">
<h2 id="what-title">${t("revoke.whatTitle")}</h2>
<ol>
<li>${t("revoke.step1", { platform, sla: duration(view.locale, c.platform.slaSeconds) })}</li>
<li>${t("revoke.step2")}</li>
<li>${t("revoke.step3", { platform })}</li>
<li>${t("revoke.step4")}</li>
</ol>
<p class="check"><input type="checkbox" id="everywhere"><label for="everywhere">${t("revoke.everywhere")}</label></p>
<p class="hint">${t("revoke.everywhereHint")}</p>
<div class="actions">
<button type="button" class="danger" id="revoke" data-passkey="revoke" data-consent="${c.id}" data-everywhere="everywhere">${t("revoke.confirm")}</button>
<a class="button secondary" href="${back}">${t("revoke.cancel")}</a>
</div>
${passkeyStatus()}
</section>`,
  });
}

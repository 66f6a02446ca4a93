import { html } from "../../web/html.ts";
import type { ConsentDetail } from "../consent-detail.ts";
import { passkeyStatus, portalPage, type View } from "./shell.ts";

/** Lift the block of a withdrawn consent: what it does and does not mean first, then one passkey confirmation. */
export function allowPage(view: View, c: ConsentDetail): string {
  const { t } = view;
  const platform = c.platform.name;
  const back = `/portal/consents/${c.id}`;
  if (c.block?.state !== "blocked") {
    return portalPage(view, {
      title: t("allow.title"),
      body: html`<p class="notice">${t("allow.notBlocked")}</p><p><a href="${back}">${t("error.back")}</a></p>`,
    });
  }
  return portalPage(view, {
    title: t("allow.title"),
    passkeys: true,
    body: html`<p class="lead">${t("allow.intro", { title: c.publication.title, platform })}</p>
<section class="card" aria-labelledby="what-title">
<h2 id="what-title">${t("allow.whatTitle")}</h2>
<ol>
<li>${t("allow.step1", { platform })}</li>
<li>${t("allow.step2")}</li>
<li>${t("allow.step3")}</li>
<li>${t("allow.step4")}</li>
</ol>
<div class="actions">
<button type="button" id="allow" data-passkey="lift" data-consent="${c.id}">${t("allow.confirm")}</button>
<a class="button secondary" href="${back}">${t("allow.cancel")}</a>
</div>
${passkeyStatus()}
</section>`,
  });
}

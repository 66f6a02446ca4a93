import { html } from "../../web/html.ts";
import { codeForm } from "./parts.ts";
import { passkeyStatus, portalPage, type View } from "./shell.ts";

/**
 * Log in with a passkey (usernameless), or start as a new performer, or open an invitation by
 * its code. `invitation`: the platform of an invitation opened by link in this browser.
 */
export function loginPage(view: View, options: { invitation: { platform: string } | null; next: string }): string {
  const { t } = view;
  return portalPage(view, {
    title: t("login.title"),
    passkeys: true,
    body: html`<p class="lead">${t("login.intro")}</p>
${options.invitation ? html`<p class="notice">${t("login.invitation", { platform: options.invitation.platform })}</p>` : ""}
<section class="card">
<button type="button" data-passkey="login" data-next="${options.next}">${t("login.button")}</button>
<p class="hint">${t("login.passkeyHint")}</p>
${passkeyStatus()}
</section>
<section class="card" aria-labelledby="new-title">
<h2 id="new-title">${t("login.newTitle")}</h2>
<p>${t("login.newBody")}</p>
<p class="hint">${t("login.noPasskeyHere")}</p>
<a class="button secondary" href="/portal/onboarding">${t("login.newButton")}</a>
</section>
${
  options.invitation
    ? ""
    : html`<h2>${t("code.title")}</h2>
${codeForm(view)}`
}`,
  });
}

import { html } from "../../web/html.ts";
import { formatDateTime } from "./format.ts";
import { codeForm } from "./parts.ts";
import { csrfField, passkeyStatus, portalPage, type View } from "./shell.ts";

/** No invitation in this browser yet: type its code. `invalid` after a code that does not work. */
export function enterCodePage(view: View, invalid = false): string {
  const { t } = view;
  return portalPage(view, {
    title: t("invitation.enterTitle"),
    body: html`<p>${t("invitation.enterIntro")}</p>
${codeForm(view, invalid)}`,
  });
}

/**
 * An invitation opened in this browser. Someone who has not shown who they are sees the platform
 * and the title, nothing more (the preview may be intimate: only the age-verified performer who
 * takes the request sees it), and the ways to continue. A logged-in performer takes the request
 * with a form (CSRF-protected: a link alone never binds it to an account) and then reviews it.
 */
export function invitationPage(view: View, invitation: { platform: string; title: string; expiresAt: string }): string {
  const { t } = view;
  const { platform, title } = invitation;
  const actions = view.performer
    ? html`<form method="post" action="/portal/invitation/accept">
${csrfField(view)}
<button type="submit" id="continue">${t("invitation.continue")}</button>
<p class="hint">${t("invitation.continueHint")}</p>
</form>`
    : html`<p>${t("invitation.who")}</p>
<div class="actions">
<button type="button" data-passkey="login" data-next="/portal/invitation">${t("login.button")}</button>
<a class="button secondary" href="/portal/onboarding">${t("login.newButton")}</a>
</div>
${passkeyStatus()}`;
  return portalPage(view, {
    title: t("invitation.title", { platform }),
    passkeys: !view.performer,
    body: html`<p class="lead">${t("invitation.summary", { platform, title })}</p>
<p>${t("invitation.answerBy", { date: formatDateTime(view.locale, invitation.expiresAt) })}</p>
<section class="card">
${actions}
</section>`,
  });
}

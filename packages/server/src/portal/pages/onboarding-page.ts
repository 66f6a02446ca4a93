import { html } from "../../web/html.ts";
import { passkeyStatus, portalPage, type View } from "./shell.ts";

/**
 * Onboarding in two steps: verify age at the configured OpenID Provider (a redirect there and
 * back), then register a passkey. `next`: where to go once the passkey exists.
 */
export function onboardingPage(view: View, options: { step: 1 | 2; sealed: boolean; next: string }): string {
  const { t } = view;
  const body =
    options.step === 1
      ? html`<p class="muted">${t("onboarding.step", { n: 1 })}</p>
<section class="card" aria-labelledby="step-title">
<h2 id="step-title">${t("onboarding.verifyTitle")}</h2>
<p>${t("onboarding.verifyBody")}</p>
${options.sealed ? html`<p>${t("onboarding.verifySealed")}</p>` : ""}
<a class="button" href="/portal/verify/start?returnTo=/portal/onboarding">${t("onboarding.verifyButton")}</a>
</section>`
      : html`<p class="muted">${t("onboarding.step", { n: 2 })}</p>
<section class="card" aria-labelledby="step-title">
<h2 id="step-title">${t("onboarding.passkeyTitle")}</h2>
<p>${t("onboarding.passkeyBody")}</p>
<button type="button" data-passkey="register" data-next="${options.next}">${t("onboarding.passkeyButton")}</button>
${passkeyStatus()}
</section>`;
  return portalPage(view, { title: t("onboarding.title"), passkeys: options.step === 2, body });
}

/**
 * A returning performer who just verified again at the identity provider, as on a new device. Which
 * passkeys this device can use is not knowable here (a synced passkey, a security key or a phone
 * nearby all work), so the person chooses: create a passkey on this device, or go on with one
 * they have. `next`: where they were going.
 */
export function returningPage(view: View, options: { next: string }): string {
  const { t } = view;
  return portalPage(view, {
    title: t("returning.title"),
    passkeys: true,
    body: html`<p class="lead">${t("returning.intro")}</p>
<section class="card" aria-labelledby="create-title">
<h2 id="create-title">${t("returning.createTitle")}</h2>
<p>${t("returning.createBody")}</p>
<button type="button" data-passkey="register" data-next="${options.next}">${t("returning.createButton")}</button>
${passkeyStatus()}
</section>
<section class="card" aria-labelledby="use-title">
<h2 id="use-title">${t("returning.useTitle")}</h2>
<p>${t("returning.useBody")}</p>
<a class="button secondary" id="use-existing" href="${options.next}">${t("returning.useButton")}</a>
</section>`,
  });
}

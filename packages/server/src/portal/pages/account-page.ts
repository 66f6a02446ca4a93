import type { PasskeyView } from "../../passkey/schemas.ts";
import { html } from "../../web/html.ts";
import { formatDate } from "./format.ts";
import type { MessageKey } from "./messages.ts";
import { passkeyStatus, portalPage, type View } from "./shell.ts";
import { EIDAS_LOA } from "../../config/schema.ts";

const LEVELS: Record<string, MessageKey> = {
  [EIDAS_LOA.high]: "level.high",
  [EIDAS_LOA.substantial]: "level.substantial",
  [EIDAS_LOA.low]: "level.low",
};

/** The account: the age check and its renewal, the passkeys (add one), and the way to delete it all. */
export function accountPage(view: View, passkeys: PasskeyView[]): string {
  const { t, locale } = view;
  const age = view.performer?.ageVerification;
  const level = (acr: string) => (LEVELS[acr] ? t(LEVELS[acr]) : acr);
  return portalPage(view, {
    title: t("account.title"),
    passkeys: true,
    body: html`<section class="card" aria-labelledby="age-title">
<h2 id="age-title">${t("account.ageTitle")}</h2>
${
  age
    ? html`<p>${t("account.ageVerified", { date: formatDate(locale, age.verifiedAt), level: level(age.acr) })}</p>
<p>${age.fresh ? t("account.ageValid", { date: formatDate(locale, age.renewBy) }) : t("account.ageExpired", { date: formatDate(locale, age.renewBy) })}</p>`
    : ""
}
<a class="button secondary" href="/portal/verify/start?returnTo=/portal/account">${t("account.ageAgain")}</a>
</section>
<section class="card" aria-labelledby="passkeys-title">
<h2 id="passkeys-title">${t("account.passkeysTitle")}</h2>
<p>${t("account.passkeysBody")}</p>
<ul class="plain" id="passkeys">
${passkeys.map(
  (p) =>
    html`<li>${t("account.passkeyItem", {
      created: formatDate(locale, p.createdAt),
      used: p.lastUsedAt ? formatDate(locale, p.lastUsedAt) : t("account.passkeyNever"),
    })} · ${p.deviceType === "multiDevice" ? t("account.passkeySynced") : t("account.passkeyDevice")}</li>`,
)}
</ul>
<button type="button" class="secondary" data-passkey="register" data-next="/portal/account">${t("account.passkeyAdd")}</button>
${passkeyStatus()}
</section>
<section class="card" aria-labelledby="delete-title">
<h2 id="delete-title">${t("account.deleteTitle")}</h2>
<p>${t("account.deleteBody")}</p>
<a class="button secondary danger-text" href="/portal/account/delete">${t("account.deleteLink")}</a>
</section>`,
  });
}

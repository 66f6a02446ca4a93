import type { Request, Response } from "express";
import { OUTAGE_RETRY_AFTER_SECONDS } from "../../http/error-response.ts";
import { html } from "../../web/html.ts";
import { catalogue, negotiateLocale } from "../../web/i18n.ts";
import { page } from "../../web/layout.ts";
import type { RefusalReason } from "../../identity/verify.ts";

/** Refusal reasons, and the invalid invitation link, each with a title and one clear sentence. */
export type RefusalPage = RefusalReason | "invitation_invalid";

const t = catalogue<`${RefusalPage}.title` | `${RefusalPage}.body` | "back" | "area" | "skip">({
  en: {
    "under_18.title": "You must be 18 or older",
    "under_18.body":
      "Your identity provider shows that you are under 18. You cannot use this service, and no account was created.",
    "age_unknown.title": "Your age could not be confirmed",
    "age_unknown.body":
      "Your identity provider did not confirm your age. Try another way of proving your identity. No account was created.",
    "conflicting_claims.title": "Your age could not be confirmed",
    "conflicting_claims.body":
      "The age information from your identity provider contradicts itself, so it cannot be accepted. No account was created.",
    "acr_not_accepted.title": "This way of signing in is not strong enough",
    "acr_not_accepted.body":
      "Use a way of proving your identity at eIDAS level substantial or high (for example an ID check in the app). No account was created.",
    "missing_claims.title": "Some details are missing",
    "missing_claims.body":
      "Your identity provider did not share all the details that are needed. No account was created.",
    "identity_mismatch.title": "This is another identity",
    "identity_mismatch.body":
      "You are logged in to an account that was verified with a different identity. Log out first if you want to use this one.",
    "flow_invalid.title": "This verification cannot be completed",
    "flow_invalid.body":
      "The link has expired, was already used, or was opened in another browser. Please start again.",
    "cancelled.title": "Verification cancelled",
    "cancelled.body": "You cancelled at your identity provider. Nothing was saved.",
    "provider_unavailable.title": "Try again later",
    "provider_unavailable.body": "The identity provider cannot be reached right now.",
    "invitation_invalid.title": "This invitation does not work",
    "invitation_invalid.body":
      "The code is not valid, has expired, or was already used. Ask the platform for a new invitation.",
    back: "Back to the portal",
    area: "portal",
    skip: "Skip to content",
  },
  nl: {
    "under_18.title": "Je moet 18 jaar of ouder zijn",
    "under_18.body":
      "Je identiteitsaanbieder laat zien dat je jonger bent dan 18. Je kunt deze dienst niet gebruiken; er is geen account aangemaakt.",
    "age_unknown.title": "Je leeftijd kon niet worden bevestigd",
    "age_unknown.body":
      "Je identiteitsaanbieder heeft je leeftijd niet bevestigd. Probeer een andere manier om je identiteit te bewijzen. Er is geen account aangemaakt.",
    "conflicting_claims.title": "Je leeftijd kon niet worden bevestigd",
    "conflicting_claims.body":
      "De leeftijdsgegevens van je identiteitsaanbieder spreken elkaar tegen en kunnen niet worden geaccepteerd. Er is geen account aangemaakt.",
    "acr_not_accepted.title": "Deze manier van inloggen is niet sterk genoeg",
    "acr_not_accepted.body":
      "Gebruik een manier om je identiteit te bewijzen op eIDAS-niveau substantieel of hoog (bijvoorbeeld een ID-check in de app). Er is geen account aangemaakt.",
    "missing_claims.title": "Er ontbreken gegevens",
    "missing_claims.body":
      "Je identiteitsaanbieder heeft niet alle benodigde gegevens gedeeld. Er is geen account aangemaakt.",
    "identity_mismatch.title": "Dit is een andere identiteit",
    "identity_mismatch.body":
      "Je bent ingelogd op een account dat met een andere identiteit is geverifieerd. Log eerst uit als je deze wilt gebruiken.",
    "flow_invalid.title": "Deze verificatie kan niet worden afgerond",
    "flow_invalid.body": "De link is verlopen, al gebruikt of in een andere browser geopend. Begin opnieuw.",
    "cancelled.title": "Verificatie geannuleerd",
    "cancelled.body": "Je hebt geannuleerd bij je identiteitsaanbieder. Er is niets opgeslagen.",
    "provider_unavailable.title": "Probeer het later opnieuw",
    "provider_unavailable.body": "De identiteitsaanbieder is nu niet bereikbaar.",
    "invitation_invalid.title": "Deze uitnodiging werkt niet",
    "invitation_invalid.body":
      "De code is ongeldig, verlopen of al gebruikt. Vraag het platform om een nieuwe uitnodiging.",
    back: "Terug naar het portaal",
    area: "portaal",
    skip: "Naar de inhoud",
  },
});

const STATUS: Partial<Record<RefusalPage, number>> = {
  provider_unavailable: 503,
  flow_invalid: 400,
  cancelled: 400,
  invitation_invalid: 404,
};

/**
 * Sends a refusal as a page, not JSON: a person in a browser reads it. It says what happened in
 * their language and nothing more (no provider detail, nothing about other accounts).
 */
export function sendRefusal(req: Request, res: Response, reason: RefusalPage): void {
  const locale = negotiateLocale(req, res);
  const tr = t(locale);
  const body = html`<section data-refusal="${reason}">
<h1>${tr(`${reason}.title`)}</h1>
<p>${tr(`${reason}.body`)}</p>
<p><a href="/portal">${tr("back")}</a></p>
</section>`;
  const status = STATUS[reason] ?? 403;
  res.setHeader("Cache-Control", "no-store");
  res.setHeader("Content-Language", locale);
  if (status === 503) res.setHeader("Retry-After", OUTAGE_RETRY_AFTER_SECONDS);
  res
    .status(status)
    .type("html")
    .send(
      page({ locale, title: tr(`${reason}.title`), path: req.path, body, area: tr("area"), skipLabel: tr("skip") })
        .value,
    );
}

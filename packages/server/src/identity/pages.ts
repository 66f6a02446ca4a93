import type { Request } from "express";
import type { RefusalReason } from "./verify.ts";

type Lang = "en" | "nl";

const TEXT: Record<RefusalReason, Record<Lang, [title: string, body: string]>> = {
  under_18: {
    en: [
      "You must be 18 or older",
      "Your identity provider shows that you are under 18. You cannot use this service, and no account was created.",
    ],
    nl: [
      "Je moet 18 jaar of ouder zijn",
      "Je identiteitsaanbieder laat zien dat je jonger bent dan 18. Je kunt deze dienst niet gebruiken; er is geen account aangemaakt.",
    ],
  },
  age_unknown: {
    en: [
      "Your age could not be confirmed",
      "Your identity provider did not confirm your age. Try another way of proving your identity. No account was created.",
    ],
    nl: [
      "Je leeftijd kon niet worden bevestigd",
      "Je identiteitsaanbieder heeft je leeftijd niet bevestigd. Probeer een andere manier om je identiteit te bewijzen. Er is geen account aangemaakt.",
    ],
  },
  conflicting_claims: {
    en: [
      "Your age could not be confirmed",
      "The age information from your identity provider contradicts itself, so it cannot be accepted. No account was created.",
    ],
    nl: [
      "Je leeftijd kon niet worden bevestigd",
      "De leeftijdsgegevens van je identiteitsaanbieder spreken elkaar tegen en kunnen niet worden geaccepteerd. Er is geen account aangemaakt.",
    ],
  },
  acr_not_accepted: {
    en: [
      "This way of signing in is not strong enough",
      "Use a way of proving your identity at eIDAS level substantial or high (for example an ID check in the app). No account was created.",
    ],
    nl: [
      "Deze manier van inloggen is niet sterk genoeg",
      "Gebruik een manier om je identiteit te bewijzen op eIDAS-niveau substantieel of hoog (bijvoorbeeld een ID-check in de app). Er is geen account aangemaakt.",
    ],
  },
  missing_claims: {
    en: [
      "Some details are missing",
      "Your identity provider did not share all the details that are needed. No account was created.",
    ],
    nl: [
      "Er ontbreken gegevens",
      "Je identiteitsaanbieder heeft niet alle benodigde gegevens gedeeld. Er is geen account aangemaakt.",
    ],
  },
  identity_mismatch: {
    en: [
      "This is another identity",
      "You are logged in to an account that was verified with a different identity. Log out first if you want to use this one.",
    ],
    nl: [
      "Dit is een andere identiteit",
      "Je bent ingelogd op een account dat met een andere identiteit is geverifieerd. Log eerst uit als je deze wilt gebruiken.",
    ],
  },
  flow_invalid: {
    en: [
      "This verification cannot be completed",
      "The link has expired, was already used, or was opened in another browser. Please start again.",
    ],
    nl: [
      "Deze verificatie kan niet worden afgerond",
      "De link is verlopen, al gebruikt of in een andere browser geopend. Begin opnieuw.",
    ],
  },
  cancelled: {
    en: ["Verification cancelled", "You cancelled at your identity provider. Nothing was saved."],
    nl: ["Verificatie geannuleerd", "Je hebt geannuleerd bij je identiteitsaanbieder. Er is niets opgeslagen."],
  },
  provider_unavailable: {
    en: ["Try again later", "The identity provider cannot be reached right now."],
    nl: ["Probeer het later opnieuw", "De identiteitsaanbieder is nu niet bereikbaar."],
  },
};

const AGAIN: Record<Lang, string> = { en: "Back to the portal", nl: "Terug naar het portaal" };

/** HTTP status of each refusal page. */
export const refusalStatus = (reason: RefusalReason) =>
  reason === "provider_unavailable" ? 503 : reason === "flow_invalid" || reason === "cancelled" ? 400 : 403;

/** The refusal page: a clear sentence in the person's language (Dutch or English), no details. */
export function refusalPage(req: Request, reason: RefusalReason): string {
  const lang: Lang = req.acceptsLanguages("nl", "en") === "nl" ? "nl" : "en";
  const [title, body] = TEXT[reason][lang];
  return `<!doctype html>
<html lang="${lang}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${title}</title></head>
<body>
<main data-refusal="${reason}">
<h1>${title}</h1>
<p>${body}</p>
<p><a href="/portal">${AGAIN[lang]}</a></p>
</main>
</body>
</html>`;
}

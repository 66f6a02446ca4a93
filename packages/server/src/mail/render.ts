import type { MailLanguage } from "@vergewis/sdk";
import { html } from "../web/html.ts";

export interface InvitationMailContent {
  language: MailLanguage;
  /** The platform's name, as registered with Vergewis. */
  platform: string;
  url: string;
  code: string;
  expiresAt: Date;
}

export interface RenderedMail {
  subject: string;
  text: string;
  html: string;
}

const TEXTS = {
  nl: {
    subject: (platform: string) => `${platform} vraagt via Vergewis je toestemming`,
    intro: (platform: string) =>
      `${platform} wil inhoud publiceren waarin jij te zien bent, en vraagt daarvoor je toestemming via Vergewis.`,
    open: "Open het verzoek om te zien waar het om gaat en te beslissen:",
    button: "Verzoek bekijken",
    code: "Of ga naar het portaal en typ deze code:",
    expires: (date: string) => `Het verzoek verloopt op ${date}.`,
    ignore:
      "Ken je dit verzoek niet, of wil je niet meedoen? Dan hoef je niets te doen: zonder jouw toestemming wordt niets vrijgegeven.",
    why: "Deze mail komt van Vergewis, niet van het platform. Het platform ziet deze code niet.",
  },
  en: {
    subject: (platform: string) => `${platform} asks for your consent through Vergewis`,
    intro: (platform: string) =>
      `${platform} wants to publish content in which you appear, and asks for your consent through Vergewis.`,
    open: "Open the request to see what it is about and decide:",
    button: "View the request",
    code: "Or go to the portal and type this code:",
    expires: (date: string) => `The request expires on ${date}.`,
    ignore:
      "Don't recognise this request, or don't want to take part? Then do nothing: nothing is cleared without your consent.",
    why: "This mail comes from Vergewis, not from the platform. The platform does not see this code.",
  },
} as const;

/**
 * The invitation mail: subject, HTML and plain text with the portal link and the short code. No
 * images, no tracking pixels, no redirecting links: the link is the portal's own.
 */
export function renderInvitationMail(mail: InvitationMailContent): RenderedMail {
  const t = TEXTS[mail.language];
  const expires = new Intl.DateTimeFormat(mail.language === "nl" ? "nl-NL" : "en-GB", {
    dateStyle: "long",
    timeZone: "UTC",
  }).format(mail.expiresAt);
  const portal = new URL("/portal/invitation", mail.url).href;
  const text = [
    t.intro(mail.platform),
    "",
    t.open,
    mail.url,
    "",
    t.code,
    mail.code,
    portal,
    "",
    t.expires(expires),
    t.ignore,
    "",
    t.why,
    "",
  ].join("\n");
  const body = html`<!doctype html>
<html lang="${mail.language}">
  <body style="font-family: system-ui, sans-serif; line-height: 1.5; max-width: 36rem">
    <p>${t.intro(mail.platform)}</p>
    <p>${t.open}</p>
    <p><a href="${mail.url}">${t.button}</a></p>
    <p>${t.code}<br /><strong style="font-family: monospace; font-size: 1.2em">${mail.code}</strong><br /><a href="${portal}">${portal}</a></p>
    <p>${t.expires(expires)}</p>
    <p>${t.ignore}</p>
    <p style="color: #555">${t.why}</p>
  </body>
</html>`;
  return { subject: t.subject(mail.platform), text, html: body.value };
}

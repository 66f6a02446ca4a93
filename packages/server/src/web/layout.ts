import { html, type SafeHtml } from "./html.ts";
import { LOCALES, type Locale } from "./i18n.ts";

export interface PageOptions {
  locale: Locale;
  title: string;
  /** The path of this page, so that the language switcher links to it. */
  path: string;
  body: SafeHtml;
  /** Script files under /assets (no inline scripts: the CSP forbids them). */
  scripts?: string[];
  /** Style sheets under /assets beyond the common one. */
  styles?: string[];
  /** The product area shown next to the name: portal, auditor console. */
  area: string;
  skipLabel: string;
  nav?: SafeHtml;
  /** Wider main column, for tables and charts. */
  wide?: boolean;
}

const LANGUAGE_NAMES: Record<Locale, string> = { nl: "Nederlands", en: "English" };

/** The one HTML document shape of every server-rendered page. */
export function page(options: PageOptions): SafeHtml {
  const switcher = LOCALES.map((lang) => {
    const current = lang === options.locale ? html` aria-current="true"` : "";
    return html`<a href="${withLang(options.path, lang)}" hreflang="${lang}" lang="${lang}"${current}>${LANGUAGE_NAMES[lang]}</a>`;
  });
  const scripts = (options.scripts ?? []).map((src) => html`<script src="${src}" defer></script>\n`);
  const styles = (options.styles ?? []).map((href) => html`<link rel="stylesheet" href="${href}">\n`);
  return html`<!doctype html>
<html lang="${options.locale}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${options.title} · Vergewis</title>
<link rel="icon" href="/assets/favicon.svg" type="image/svg+xml">
<link rel="stylesheet" href="/assets/style.css">
${styles}${scripts}</head>
<body>
<a class="skip" href="#main">${options.skipLabel}</a>
<header class="top">
<span class="brand">Vergewis <span class="area">${options.area}</span></span>
<nav class="lang" aria-label="Language / Taal">${switcher}</nav>
</header>
${options.nav ?? ""}
<main id="main" tabindex="-1"${options.wide ? html` class="wide"` : ""}>
${options.body}
</main>
</body>
</html>
`;
}

/** The same path with `?lang=` set, keeping its other query parameters. */
function withLang(path: string, lang: Locale): string {
  const url = new URL(path, "http://localhost");
  url.searchParams.set("lang", lang);
  return url.pathname + url.search;
}

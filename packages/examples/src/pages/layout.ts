import { html, type Html } from "../html.ts";

/**
 * A moment in time: in UTC as sent, then in the reader's own time zone once /local-time.js has run
 * (the server cannot know the reader's zone).
 */
export const localTime = (moment: Date | string): Html => {
  const iso = new Date(moment).toISOString();
  return html`<time datetime="${iso}">${iso.slice(0, 16).replace("T", " ")} UTC</time>`;
};

/** Every page: server-rendered, one external stylesheet, one small external script for times. */
export function layout(title: string, body: Html): string {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} · Example platform</title>
<link rel="icon" href="/favicon.svg" type="image/svg+xml">
<link rel="stylesheet" href="/style.css">
<script src="/local-time.js" defer></script>
</head>
<body>
<header><a href="/">Example platform</a><span class="hint">publishes only with everyone's consent, checked by Vergewis</span></header>
<main>
<h1>${title}</h1>
${body}
</main>
</body>
</html>
`.value;
}

/** A page that explains why something cannot be done, with a way on. */
export function messagePage(
  title: string,
  message: string,
  links: Array<{ href: string; text: string }> = [{ href: "/", text: "Back to the uploads" }],
): string {
  return layout(title, html`<p>${message}</p>${links.map((l) => html`<p><a href="${l.href}">${l.text}</a></p>`)}`);
}

import { html, type SafeHtml } from "../../web/html.ts";
import type { TestIdentity } from "./identities.ts";

/**
 * The local provider's sign-in page: pick a test identity. It is served by the provider's own
 * server, so it carries its own small stylesheet; no scripts.
 */
export function loginPage(identities: TestIdentity[], options: { error?: string } = {}): SafeHtml {
  const rows = identities.map(
    (i) => html`<li><button name="login" value="${i.id}">${i.id}</button> ${i.description}</li>\n`,
  );
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Local identity provider (test identities)</title>
<style>
body{font:16px/1.5 system-ui,sans-serif;max-width:44rem;margin:2rem auto;padding:0 1rem;color:#1a1a1a}
.warn{background:#fff4d6;border:1px solid #8a6d00;padding:.75rem 1rem;border-radius:.5rem}
.error{color:#a40000}
li{margin:.4rem 0}button{font:inherit;padding:.2rem .7rem;margin-right:.4rem}
</style>
</head>
<body>
<h1>Local identity provider</h1>
<p class="warn">This provider is for development and testing. It hands out made-up identities and proves nothing about anyone.</p>
${options.error ? html`<p class="error" role="alert">${options.error}</p>` : ""}
<form method="post">
<p>Sign in as:</p>
<ul>
${rows}</ul>
<p><label>Or type an identity (e.g. <code>adult+2</code> for another adult): <input name="login" autocomplete="off"></label>
<button name="action" value="login">Sign in</button></p>
<p><button name="action" value="cancel">Cancel</button></p>
</form>
</body>
</html>`;
}

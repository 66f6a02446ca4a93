import { html } from "../web/html.ts";
import type { Locale } from "../web/i18n.ts";
import type { Translate } from "./messages.ts";
import { consolePage } from "./shell.ts";

export function loginPage(locale: Locale, t: Translate, path: string, invalid = false): string {
  return consolePage({
    locale,
    t,
    path,
    title: t("login.title"),
    body: html`
      <form method="post" action="/audit/login" class="card">
        ${invalid ? html`<p class="notice bad" role="alert">${t("login.invalid")}</p>` : ""}
        <label for="token">${t("login.token")}</label>
        <input id="token" name="token" type="password" autocomplete="off" required spellcheck="false" aria-describedby="token-help">
        <p class="hint" id="token-help">${t("login.help")}</p>
        <div class="actions"><button type="submit">${t("login.submit")}</button></div>
      </form>`,
  });
}

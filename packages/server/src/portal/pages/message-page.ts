import { html } from "../../web/html.ts";
import { portalPage, type View } from "./shell.ts";

/** A page that says one thing: an error, or that the account is gone. */
export function messagePage(view: View, title: string, text: string, extra?: string): string {
  return portalPage(view, {
    title,
    body: html`<p>${text}</p>
${extra ? html`<p>${extra}</p>` : ""}
<p><a href="/portal">${view.t("error.back")}</a></p>`,
  });
}

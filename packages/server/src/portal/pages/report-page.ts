import { REPORT_CATEGORIES } from "@vergewis/sdk";
import { html, jsonData } from "../../web/html.ts";
import type { MessageKey } from "./messages.ts";
import { portalPage, type View } from "./shell.ts";

// The texts the page's script shows.
const SCRIPT_MESSAGES = [
  "report.hashes",
  "report.hashing",
  "report.sentBlocked",
  "report.sentReview",
  "report.noFile",
  "report.unreadable",
  "error.generic",
  "error.network",
  "error.rate_limited",
  "error.csrf",
  "error.invalid_request",
] as const satisfies readonly MessageKey[];

/**
 * Report a picture without uploading it: the page's script (static/portal/report.js) hashes the
 * chosen file in the browser, SHA-256 with WebCrypto and PDQ with the SDK's browser build, and
 * sends only the hashes. The file input has no name, so not even a form submission could send it.
 */
export function reportPage(view: View, options: { depictedPerson: boolean }): string {
  const { t } = view;
  const categories = REPORT_CATEGORIES.map(
    (c) => html`<option value="${c}">${t(`report.category.${c}` as MessageKey)}</option>`,
  );
  return portalPage(view, {
    title: t("report.title"),
    scripts: ["/assets/portal/report.js"],
    body: html`${jsonData("report-data", {
      csrfToken: view.csrfToken,
      messages: Object.fromEntries(SCRIPT_MESSAGES.map((k) => [k, t(k)])),
    })}<p class="lead">${t("report.intro")}</p>
<noscript><p class="notice warn">${t("report.noscript")}</p></noscript>
<p class="notice">${options.depictedPerson ? t("report.asPerson") : t("report.asAnonymous")}</p>
<section class="card">
<p><strong>${t("report.privacy")}</strong></p>
<p><label for="report-file">${t("report.file")}</label><br><input type="file" id="report-file" accept="image/*"></p>
<p><label for="report-category">${t("report.category")}</label><br><select id="report-category">${categories}</select></p>
<p><label for="report-description">${t("report.description")}</label><br><textarea id="report-description" rows="4" maxlength="5000"></textarea></p>
<p><label for="report-contact">${t("report.contact")}</label><br><input type="text" id="report-contact" maxlength="320"></p>
<div class="actions"><button type="button" id="report-submit">${t("report.submit")}</button></div>
<div id="report-status" role="status" aria-live="polite"></div>
</section>`,
  });
}

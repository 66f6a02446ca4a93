import { html } from "../web/html.ts";
import type { Locale } from "../web/i18n.ts";
import type { Auditor } from "../audit/auditor-token.ts";
import type { MonthlyReport } from "../audit-metrics/monthly.ts";
import { formatTime, type Translate } from "./messages.ts";
import { reportBody } from "./report-document.ts";
import { consolePage } from "./shell.ts";

export function reportsPage(
  locale: Locale,
  t: Translate,
  path: string,
  auditor: Auditor,
  platforms: Array<{ id: string; name: string }>,
  month: string,
): string {
  return consolePage({
    locale,
    t,
    path,
    auditor,
    title: t("reports.title"),
    body: html`
      <form method="get" action="/audit/reports/monthly" class="card search">
        <div><label for="platform">${t("reports.platform")}</label><select id="platform" name="platform" required>
          ${platforms.map((p) => html`<option value="${p.id}">${p.name} (${p.id})</option>`)}</select></div>
        <div><label for="month">${t("reports.month")}</label><input id="month" name="month" type="month" value="${month}" required></div>
        <div class="actions"><button type="submit">${t("reports.open")}</button></div>
      </form>`,
  });
}

/** The monthly report in the console: its figures link to their log entries. */
export function consoleReportPage(
  locale: Locale,
  t: Translate,
  path: string,
  auditor: Auditor,
  report: MonthlyReport,
): string {
  const csv = `/audit/reports/monthly?${new URLSearchParams({ platform: report.platform.id, month: report.month, format: "csv" })}`;
  return consolePage({
    locale,
    t,
    path,
    auditor,
    title: `${t("report.title")} · ${report.platform.name} · ${report.month}`,
    body: html`
      <p class="muted">${t("report.generated")}: ${formatTime(report.generatedAt)}</p>
      <p class="actions"><a class="button secondary" href="${csv}">${t("reports.csv")}</a></p>
      <section class="card report">${reportBody(report, locale, t, (i) => `/audit/events/${i}`)}</section>`,
  });
}

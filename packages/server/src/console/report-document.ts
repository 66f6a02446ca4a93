import { createHash } from "node:crypto";
import { html, trusted, type SafeHtml } from "../web/html.ts";
import type { Locale } from "../web/i18n.ts";
import type { MonthlyReport, ReportFigure } from "../audit-metrics/monthly.ts";
import { formatDuration, formatNumber, formatPercent, formatTime, type Translate } from "./messages.ts";

// The standalone report is one self-contained file (it is saved, mailed and printed): its style
// is inline, and allowed by the hash in its own Content-Security-Policy, not by 'unsafe-inline'.
const STYLE = `body{font:14px/1.5 system-ui,sans-serif;color:#1b1f24;max-width:60rem;margin:2rem auto;padding:0 1rem}
h1{font-size:1.5rem;margin-bottom:.25rem}h2{font-size:1.1rem;margin-top:2rem}
table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:.35rem .5rem;border-bottom:1px solid #c9cfd8;vertical-align:top}
td.num{text-align:right;white-space:nowrap}.muted{color:#4a5260}pre{background:#f3f5f8;padding:.75rem;overflow:auto;font-size:12px}
.mono{font:12px/1.4 ui-monospace,monospace;color:#4a5260;overflow-wrap:anywhere}.breached{color:#b42318;font-weight:600}`;

/** The CSP of the standalone report: nothing but its own style. */
export const REPORT_CSP = `default-src 'none'; style-src 'sha256-${createHash("sha256").update(STYLE).digest("base64")}'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'`;

export function figureValue(locale: Locale, figure: ReportFigure): string {
  if (figure.value === null) return "–";
  if (figure.unit === "seconds") return formatDuration(figure.value);
  if (figure.unit === "ratio") return formatPercent(locale, figure.value);
  return formatNumber(locale, figure.value);
}

/** The leaf indexes behind a figure, linked to their entries when `entryHref` is given. */
export function sourceList(indexes: number[], entryHref?: (index: number) => string): SafeHtml {
  if (indexes.length === 0) return html`<span class="muted">–</span>`;
  const items = indexes.map((i, n) => html`${n ? " " : ""}${entryHref ? html`<a href="${entryHref(i)}">${i}</a>` : i}`);
  if (indexes.length <= 12) return html`<span class="mono">${items}</span>`;
  return html`<details><summary>${indexes.length}</summary><span class="mono">${items}</span></details>`;
}

/** Figures, takedowns and checkpoint: shared by the standalone document and the console. */
export function reportBody(
  report: MonthlyReport,
  locale: Locale,
  t: Translate,
  entryHref?: (index: number) => string,
): SafeHtml {
  return html`
    <div class="table-scroll"><table class="figures">
      <thead><tr><th>${t("report.figure")}</th><th>${t("report.value")}</th><th>${t("table.sources")}</th></tr></thead>
      <tbody>${report.figures.map(
        (
          f,
        ) => html`<tr data-figure="${f.key}"><td>${t(`figure.${f.key}`)}</td><td class="num">${figureValue(locale, f)}</td>
          <td>${sourceList(f.sources, entryHref)}</td></tr>`,
      )}</tbody>
    </table></div>
    <h2>${t("report.takedowns")}</h2>
    <div class="table-scroll"><table class="takedowns">
      <thead><tr><th>${t("table.takedown")}</th><th>${t("table.reason")}</th><th>${t("table.requested")}</th><th>${t("table.due")}</th>
        <th>${t("table.removed")}</th><th>${t("table.latency")}</th><th>${t("table.sla")}</th><th>${t("table.sources")}</th></tr></thead>
      <tbody>${report.takedowns.map(
        (d) => html`<tr><td class="mono">${d.takedownId}</td><td>${d.reason}</td><td>${formatTime(d.requestedAt)}</td>
          <td>${formatTime(d.dueAt)}</td><td>${d.removedAt ? formatTime(d.removedAt) : "–"}</td>
          <td class="num">${formatDuration(d.latencySeconds)}</td>
          <td${d.sla === "breached" ? html` class="breached"` : ""}>${t(`sla.${d.sla}`)}</td><td>${sourceList(d.sources, entryHref)}</td></tr>`,
      )}</tbody>
    </table></div>
    <h2>${t("checkpoint.title")}</h2>
    <pre class="note">${report.checkpoint.note}</pre>
    <p class="muted">${t("report.method")}</p>`;
}

export function reportDocument(report: MonthlyReport, locale: Locale, t: Translate): string {
  return html`<!doctype html>
<html lang="${locale}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${t("report.title")} ${report.platform.name} ${report.month}</title>
<style>${trusted(STYLE)}</style></head>
<body><h1>${t("report.title")}</h1>
<p class="muted">${report.platform.name} (<span class="mono">${report.platform.id}</span>) · ${t("report.period")}: ${report.month}
 · ${t("report.generated")}: ${formatTime(report.generatedAt)}</p>
${reportBody(report, locale, t)}</body></html>
`.value;
}

import type { AuditMetrics } from "@vergewis/sdk";
import { html } from "../web/html.ts";
import type { Locale } from "../web/i18n.ts";
import type { Auditor } from "../audit/auditor-token.ts";
import type { TakedownFact } from "../audit-metrics/facts.ts";
import { formatDuration, formatNumber, formatPercent, formatTime, latencySeries, type Translate } from "./messages.ts";
import { jsonData } from "../web/html.ts";
import { consolePage } from "./shell.ts";

export interface DashboardData {
  metrics: AuditMetrics;
  overdue: TakedownFact[];
  checkpoint: { treeSize: number; rootHash: string; note: string };
  verifierKey: string;
  now: Date;
}

export function dashboardPage(
  locale: Locale,
  t: Translate,
  path: string,
  auditor: Auditor,
  data: DashboardData,
): string {
  const { metrics } = data;
  const latency = latencySeries(metrics.daily);
  const stat = (id: string, label: string, value: string) =>
    html`<div class="card stat" id="${id}"><span class="label">${label}</span><span class="value">${value}</span></div>`;
  return consolePage({
    locale,
    t,
    path,
    auditor,
    title: t("dashboard.title"),
    charts: true,
    body: html`
      <p class="muted">${t("dashboard.period", { size: formatNumber(locale, metrics.treeSize) })}</p>
      <section class="stats">
        ${stat("stat-takedowns", t("dashboard.takedowns"), formatNumber(locale, metrics.totals.takedownsRequested))}
        ${stat("stat-median", t("dashboard.median"), formatDuration(metrics.takedowns.latencySeconds.p50))}
        ${stat("stat-p95", t("dashboard.p95"), formatDuration(metrics.takedowns.latencySeconds.p95))}
        ${stat("stat-compliance", t("dashboard.compliance"), formatPercent(locale, metrics.takedowns.sla.compliance))}
        ${stat("stat-consents", t("dashboard.consents"), formatNumber(locale, metrics.totals.consents))}
        ${stat("stat-revocations", t("dashboard.revocations"), formatNumber(locale, metrics.totals.revocations))}
        ${stat("stat-reports", t("dashboard.reports"), formatNumber(locale, metrics.totals.reports))}
      </section>
      <section class="charts">
        <figure class="card"><figcaption>${t("dashboard.latencyChart", { unit: latency.unit })}</figcaption><div class="chart" id="chart-latency"></div></figure>
        <figure class="card"><figcaption>${t("dashboard.slaChart")}</figcaption><div class="chart" id="chart-sla"></div></figure>
      </section>
      ${jsonData("metrics-data", { daily: metrics.daily, latency, labels: { compliance: t("dashboard.compliance") } })}
      <h2>${t("dashboard.overdue")}</h2>
      ${
        data.overdue.length === 0
          ? html`<p class="muted" id="overdue-none">${t("dashboard.noOverdue")}</p>`
          : html`<div class="table-scroll"><table id="overdue"><thead><tr><th>${t("table.takedown")}</th><th>${t("table.publication")}</th>
            <th>${t("table.requested")}</th><th>${t("table.due")}</th><th>${t("table.overdueBy")}</th><th>${t("table.index")}</th></tr></thead>
            <tbody>${data.overdue.map(
              (d) => html`<tr><td class="mono">${d.takedownId}</td><td class="mono">${d.publicationId ?? "–"}</td>
                <td>${formatTime(d.requested.time)}</td><td>${formatTime(d.dueAt)}</td>
                <td><span class="badge bad">${formatDuration((data.now.getTime() - Date.parse(d.dueAt)) / 1000)}</span></td>
                <td><a href="/audit/events/${d.requested.index}">${d.requested.index}</a></td></tr>`,
            )}</tbody></table></div>`
      }
      <h2>${t("checkpoint.title")}</h2>
      <section class="card">
        <dl class="facts"><dt>${t("checkpoint.size")}</dt><dd>${formatNumber(locale, data.checkpoint.treeSize)}</dd>
          <dt>${t("checkpoint.root")}</dt><dd class="mono">${data.checkpoint.rootHash}</dd>
          <dt>${t("checkpoint.key")}</dt><dd class="mono">${data.verifierKey}</dd></dl>
        <pre class="note">${data.checkpoint.note}</pre>
      </section>`,
  });
}

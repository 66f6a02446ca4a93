// bench/report.html: one self-contained page (uPlot inlined, no network) with the results table,
// the latency histograms of every benchmark that kept its samples, and the soak runs.
import fs from "node:fs";
import { createRequire } from "node:module";
import type { ResultsFile, SoakRun } from "./results.ts";
import { targetCoverage } from "./targets.ts";
import type { ResultLine } from "./types.ts";

export interface Charting {
  script: string;
  styles: string;
}

/** uPlot as the audit console serves it: the server package's own dependency, read from disk. */
export function loadCharting(): Charting {
  const require = createRequire(new URL("../../packages/server/package.json", import.meta.url));
  return {
    script: fs.readFileSync(require.resolve("uplot/dist/uPlot.iife.min.js"), "utf8"),
    styles: fs.readFileSync(require.resolve("uplot/dist/uPlot.min.css"), "utf8"),
  };
}

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);

export const formatNumber = (n: number | undefined) =>
  n === undefined ? "" : Number.isInteger(n) ? n.toLocaleString("en") : n.toFixed(2);

/** The verdict of a line: PASS, FAIL, or nothing when it has no target. */
export const verdict = (pass: boolean | undefined) => (pass === undefined ? "" : pass ? "PASS" : "FAIL");

/** JSON inside <script>: `<` escaped so that no string in the data can close the element. */
const scriptJson = (value: unknown) => JSON.stringify(value).replace(/</g, "\\u003c");

function resultsTable(lines: ResultLine[]): string {
  const rows = lines.map((r) => {
    const cls = r.pass === undefined ? "" : r.pass ? "pass" : "fail";
    return `<tr class="${cls}"><td>${escapeHtml(r.benchmark)}</td><td>${escapeHtml(r.name)}</td>
<td class="num">${formatNumber(r.value)} ${escapeHtml(r.unit)}</td>
<td>${r.baseline ? `${formatNumber(r.baseline.value)} ${escapeHtml(r.unit)} <span class="dim">(${escapeHtml(r.baseline.name)})</span>` : ""}</td>
<td class="num">${r.ratio === undefined ? "" : r.ratio.toFixed(2)}</td><td>${escapeHtml(r.target ?? "")}</td><td>${verdict(r.pass)}</td></tr>`;
  });
  return `<table><thead><tr><th>area</th><th>name</th><th>figure</th><th>baseline (same run)</th><th>ratio</th><th>target</th><th></th></tr></thead>
<tbody>${rows.join("\n")}</tbody></table>`;
}

function targetsTable(lines: ResultLine[]): string {
  const rows = targetCoverage(lines).map(({ target, lines: found }) => {
    const measured = found.length
      ? found
          .map(
            (l) =>
              `${escapeHtml(l.name)}: ${formatNumber(l.value)} ${escapeHtml(l.unit)}${l.ratio === undefined ? "" : `, ratio ${l.ratio.toFixed(2)}`}${l.pass === undefined ? "" : ` — ${verdict(l.pass)}`}`,
          )
          .join("<br>")
      : "<strong>not measured in this run</strong>";
    const cls = !found.length || found.some((l) => l.pass === false) ? "fail" : "";
    return `<tr class="${cls}"><td>${escapeHtml(target.issue)}</td><td>${escapeHtml(target.asked)}</td><td>${measured}</td></tr>`;
  });
  return `<table><thead><tr><th>issue</th><th>asked for</th><th>measured</th></tr></thead><tbody>${rows.join("\n")}</tbody></table>`;
}

function soakRun(run: SoakRun, index: number): string {
  const kinds = run.kinds.map(
    (
      k,
    ) => `<tr class="${k.unexpected ? "fail" : ""}"><td>${escapeHtml(k.kind)}</td><td class="num">${formatNumber(k.rate)}</td>
<td class="num">${formatNumber(k.requests)}</td><td class="num">${k.p50.toFixed(1)}</td><td class="num">${k.p99.toFixed(1)}</td>
<td class="num">${k.max.toFixed(1)}</td><td>${Object.entries(k.statuses)
      .map(([status, n]) => `${escapeHtml(status)}: ${formatNumber(n)}`)
      .join(", ")}</td><td class="num">${formatNumber(k.unexpected)}</td></tr>`,
  );
  const g = run.rssGrowth;
  return `<section class="soak"><h3>${escapeHtml(run.database)}: ${formatNumber(run.durationSeconds)} s at ${formatNumber(run.targetRate)} req/s (open loop) — ${verdict(run.pass)}</h3>
<p>${formatNumber(run.requests)} requests, ${run.sentRate.toFixed(1)} req/s sent, ${formatNumber(run.lateStarts)} started more than 100 ms late.
Server CPU ${run.serverCpu.seconds.toFixed(1)} s (${(run.serverCpu.shareOfCore * 100).toFixed(0)} % of one core, ${run.serverCpu.msPerRequest.toFixed(1)} ms per request); load average ${run.serverCpu.loadAverage.join(" / ")} at the end.
Server RSS ${g.fromMiB.toFixed(1)} MiB at ${g.fromSeconds} s → ${g.toMiB.toFixed(1)} MiB at ${g.toSeconds} s: growth ${(g.ratio * 100).toFixed(1)} % (target &lt; 10 %).${
    run.liveHeapGrowth
      ? ` Heap still used after a full collection ${run.liveHeapGrowth.fromMiB.toFixed(1)} → ${run.liveHeapGrowth.toMiB.toFixed(1)} MiB (${(run.liveHeapGrowth.ratio * 100).toFixed(1)} %).`
      : ""
  }</p>
${run.notes.length ? `<ul>${run.notes.map((n) => `<li>${escapeHtml(n)}</li>`).join("")}</ul>` : ""}
<table><thead><tr><th>kind</th><th>req/s</th><th>requests</th><th>p50 ms</th><th>p99 ms</th><th>max ms</th><th>statuses</th><th>unexpected</th></tr></thead>
<tbody>${kinds.join("\n")}</tbody></table>
<div class="charts"><figure><figcaption>RSS and heap (MiB), every 10 s</figcaption><div class="chart" data-rss="${index}"></div></figure>
${run.kinds
  .map(
    (k, j) =>
      `<figure><figcaption>${escapeHtml(k.kind)}: latency (ms)</figcaption><div class="chart" data-soak="${index}:${j}"></div></figure>`,
  )
  .join("\n")}</div></section>`;
}

const CLIENT_SCRIPT = `
const data = JSON.parse(document.getElementById("bench-data").textContent);
const width = 420, height = 200;
function bars(el, h, label, colour, range) {
  if (!h) return;
  const x = h.edgesMs.slice(0, -1);
  new uPlot({
    width, height, legend: { show: false },
    scales: { x: { time: false, distr: 3, log: 10, range: range ?? [h.edgesMs[0], h.edgesMs[h.edgesMs.length - 1]] }, y: { range: (u, min, max) => [0, max] } },
    axes: [{ label: "ms (log scale)" }, { label: "requests", size: 60 }],
    series: [{}, { label, fill: colour + "99", stroke: colour, points: { show: false }, paths: uPlot.paths.bars({ size: [1, Infinity], align: 1 }) }],
  }, [x, h.counts], el);
  const note = document.createElement("p");
  note.className = "dim";
  note.textContent = label + ": " + h.count + " samples, " + h.minMs + "–" + h.maxMs + " ms" + (h.above ? ", " + h.above + " above " + h.edgesMs[h.edgesMs.length - 1] + " ms (not drawn)" : "");
  el.append(note);
}
document.querySelectorAll("[data-hist]").forEach((el) => {
  const line = data.results[Number(el.dataset.hist)];
  const h = line.histogram, b = line.baselineHistogram;
  // Figure and baseline on one axis, so that the distance between them is seen.
  const range = b && [Math.min(h.edgesMs[0], b.edgesMs[0]), Math.max(h.edgesMs[h.edgesMs.length - 1], b.edgesMs[b.edgesMs.length - 1])];
  bars(el, h, line.name, "#1f6feb", range);
  if (b) bars(el.parentElement.querySelector("[data-baseline]"), b, "baseline: " + line.baseline.name, "#8b949e", range);
});
document.querySelectorAll("[data-soak]").forEach((el) => {
  const [run, kind] = el.dataset.soak.split(":").map(Number);
  const k = data.soak.runs[run].kinds[kind];
  bars(el, k.histogram, k.kind, "#1a7f37");
});
document.querySelectorAll("[data-rss]").forEach((el) => {
  const rss = data.soak.runs[Number(el.dataset.rss)].rss;
  const database = rss.some((s) => s.databaseMiB);
  const heap = rss.some((s) => s.heap);
  new uPlot({
    width, height,
    scales: { x: { time: false }, y: { range: (u, min, max) => [0, max * 1.1] } },
    axes: [{ label: "s" }, { label: "MiB", size: 60 }],
    series: [
      {},
      { label: "server", stroke: "#cf222e", width: 2 },
      ...(database ? [{ label: "embedded database", stroke: "#8250df", width: 2 }] : []),
      ...(heap ? [{ label: "heap used", stroke: "#bf8700" }, { label: "after GC", stroke: "#1a7f37", width: 2 }] : []),
    ],
  }, [
    rss.map((s) => s.atSeconds),
    rss.map((s) => s.mib),
    ...(database ? [rss.map((s) => s.databaseMiB ?? null)] : []),
    ...(heap ? [rss.map((s) => s.heap?.usedMiB ?? null), rss.map((s) => s.heap?.liveMiB ?? null)] : []),
  ], el);
});
`;

const STYLES = `
body { font: 14px/1.4 system-ui, sans-serif; margin: 2rem; color: #1f2328; }
table { border-collapse: collapse; margin: 1rem 0; }
th, td { text-align: left; padding: .25rem .6rem; border-bottom: 1px solid #d0d7de; vertical-align: top; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
tr.pass td:last-child { color: #1a7f37; font-weight: 600; }
tr.fail td:last-child, tr.fail td { color: #cf222e; }
.dim { color: #57606a; }
.charts, .pair { display: flex; flex-wrap: wrap; gap: 1.5rem; }
.chart p { max-width: 420px; margin: .25rem 0 0; }
figure { margin: 0; }
figcaption { font-weight: 600; margin-bottom: .25rem; }
`;

/** The whole page; `charting` is inlined so that the file opens anywhere, offline. */
export function renderReport(results: ResultsFile, charting: Charting): string {
  if (/<\/(script|style)/i.test(charting.script + charting.styles))
    throw new Error("the charting library cannot be inlined: it contains a closing tag");
  const lines = results.results;
  const failed = lines.filter((r) => r.pass === false);
  const histograms = lines
    .map((line, i) => ({ line, i }))
    .filter(({ line }) => line.histogram)
    .map(
      ({ line, i }) =>
        `<figure><figcaption>${escapeHtml(line.name)}</figcaption><div class="pair"><div class="chart" data-hist="${i}"></div>${
          line.baselineHistogram ? `<div class="chart" data-baseline></div>` : ""
        }</div></figure>`,
    );
  const m = results.machine;
  const soak = results.soak;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Vergewis benchmarks</title>
<style>${charting.styles}</style><style>${STYLES}</style></head>
<body><h1>Vergewis benchmarks</h1>
<p>${escapeHtml(results.date)}, Node ${escapeHtml(results.node)}${results.quick ? ", <strong>--quick</strong> (short runs)" : ""};
${m.cpus} × ${escapeHtml(m.cpuModel)}, load average ${m.loadAverage.join(" / ")} at the start (shared machine).
${lines.filter((r) => r.pass).length} targets met, ${failed.length} missed${
    failed.length ? `: ${failed.map((f) => escapeHtml(f.name)).join("; ")}` : ""
  }.</p>
<h2>Results</h2>
${resultsTable(lines)}
<h2>Targets by issue</h2>
${targetsTable(lines)}
<h2>Latency distributions</h2>
<div class="charts">${histograms.join("\n")}</div>
${
  soak
    ? `<h2>Soak: mixed traffic</h2><p class="dim">${escapeHtml(soak.date)}, load average ${soak.machine.loadAverage.join(" / ")} at the start.</p>
${soak.runs.map(soakRun).join("\n")}`
    : ""
}
<script id="bench-data" type="application/json">${scriptJson({ results: lines, soak })}</script>
<script>${charting.script}</script>
<script>${CLIENT_SCRIPT}</script>
</body></html>
`;
}

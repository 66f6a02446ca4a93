// `npm run bench`: every benchmark of the project in one run, bounded in time, on 127.0.0.1 only.
// Prints one table, writes bench/results.json and bench/report.html.
// `npm run bench -- --soak [--duration 5m]`: the soak instead (bench/soak/), into the same files;
// `--heap-snapshots DIR` writes two heap snapshots of the server per run there (see soak.ts).
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { auditBenchmark } from "./audit.bench.ts";
import { examplesBenchmark } from "./examples.bench.ts";
import { httpBenchmark } from "./http.bench.ts";
import { identityBenchmark } from "./identity.bench.ts";
import { nearDuplicateBenchmark } from "./near-duplicate.bench.ts";
import { perceptualCorpusBenchmark } from "./perceptual-corpus.bench.ts";
import { formatNumber, loadCharting, renderReport, verdict } from "./lib/report.ts";
import { machine, readResults, toResultLine, type ResultsFile } from "./lib/results.ts";
import type { Benchmark, ResultLine } from "./lib/types.ts";
import { portalBenchmark } from "./portal.bench.ts";
import { reviewBenchmark } from "./review.bench.ts";
import { sdkBenchmark } from "./sdk.bench.ts";
import { parseDuration } from "./soak/schedule.ts";
import { runSoak } from "./soak/soak.ts";
import { takedownBenchmark } from "./takedown.bench.ts";

const benchmarks: Benchmark[] = [
  httpBenchmark,
  sdkBenchmark,
  identityBenchmark,
  auditBenchmark,
  takedownBenchmark,
  portalBenchmark,
  examplesBenchmark,
  nearDuplicateBenchmark,
  perceptualCorpusBenchmark,
  reviewBenchmark,
];

const { values } = parseArgs({
  options: {
    quick: { type: "boolean", default: false },
    only: { type: "string" },
    soak: { type: "boolean", default: false },
    duration: { type: "string", default: "5m" },
    rate: { type: "string", default: "500" },
    databases: { type: "string", default: "pglite,postgresql" },
    "heap-snapshots": { type: "string" },
  },
});
const here = path.dirname(fileURLToPath(import.meta.url));
const resultsPath = path.join(here, "results.json");
const reportPath = path.join(here, "report.html");
const log = (message: string) => console.log(`  · ${message}`);
const previous = readResults(resultsPath);

let results: ResultsFile;
if (values.soak) {
  const soak = await runSoak({
    durationSeconds: parseDuration(values.duration),
    rate: Number(values.rate),
    databases: values.databases.split(",") as Array<"pglite" | "postgresql">,
    ...(values["heap-snapshots"] && { heapSnapshotDir: path.resolve(values["heap-snapshots"]) }),
    log,
  });
  // The benchmarks' lines of the last `npm run bench` stay; the soak section is replaced.
  results = {
    ...(previous ?? { date: soak.date, node: process.version, quick: false, machine: soak.machine, results: [] }),
    soak,
  };
} else {
  const selected = benchmarks.filter((b) => !values.only || values.only.split(",").includes(b.name));
  const started = machine();
  const lines: ResultLine[] = [];
  for (const benchmark of selected) {
    console.log(`\n▶ ${benchmark.name}`);
    const t = performance.now();
    const measured = await benchmark.run({ quick: values.quick, log });
    lines.push(...measured.map((r) => toResultLine(benchmark.name, r)));
    console.log(`  done in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  }
  const rows = lines.map((r) => [
    r.name,
    `${formatNumber(r.value)} ${r.unit}`,
    r.baseline ? `${formatNumber(r.baseline.value)} ${r.unit} (${r.baseline.name})` : "",
    r.ratio === undefined ? "" : r.ratio.toFixed(2),
    r.target ?? "",
    verdict(r.pass),
  ]);
  const header = ["name", "figure", "baseline (same run)", "ratio", "target", ""];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join("  ");
  console.log(`\n${line(header)}\n${widths.map((w) => "─".repeat(w)).join("  ")}`);
  for (const row of rows) console.log(line(row));
  const failed = lines.filter((r) => r.pass === false);
  if (failed.length) console.log(`\n${failed.length} target(s) missed: ${failed.map((f) => f.name).join("; ")}`);
  results = {
    date: new Date().toISOString(),
    node: process.version,
    quick: values.quick,
    machine: started,
    results: lines,
    ...(previous?.soak && { soak: previous.soak }),
  };
}

fs.writeFileSync(resultsPath, JSON.stringify(results, null, 2));
fs.writeFileSync(reportPath, renderReport(results, loadCharting()));
console.log(`\nWrote bench/results.json and bench/report.html`);

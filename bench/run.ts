// `npm run bench`: every benchmark of the project in one run, bounded in time, on 127.0.0.1 only.
// Prints one table, writes bench/results.json (and bench/report.html).
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { auditBenchmark } from "./audit.bench.ts";
import { examplesBenchmark } from "./examples.bench.ts";
import { httpBenchmark } from "./http.bench.ts";
import { identityBenchmark } from "./identity.bench.ts";
import { portalBenchmark } from "./portal.bench.ts";
import type { Benchmark, BenchResult } from "./lib/types.ts";
import { sdkBenchmark } from "./sdk.bench.ts";
import { takedownBenchmark } from "./takedown.bench.ts";

const benchmarks: Benchmark[] = [
  httpBenchmark,
  sdkBenchmark,
  identityBenchmark,
  auditBenchmark,
  takedownBenchmark,
  portalBenchmark,
  examplesBenchmark,
];

const { values } = parseArgs({
  options: { quick: { type: "boolean", default: false }, only: { type: "string" } },
});
const here = path.dirname(fileURLToPath(import.meta.url));
const selected = benchmarks.filter((b) => !values.only || values.only.split(",").includes(b.name));

const all: Array<BenchResult & { benchmark: string }> = [];
for (const benchmark of selected) {
  console.log(`\n▶ ${benchmark.name}`);
  const started = performance.now();
  const results = await benchmark.run({
    quick: values.quick,
    log: (message) => console.log(`  · ${message}`),
  });
  all.push(...results.map((r) => ({ ...r, benchmark: benchmark.name })));
  console.log(`  done in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

const fmt = (n: number | undefined) => (n === undefined ? "" : Number.isInteger(n) ? String(n) : n.toFixed(2));
const rows = all.map((r) => [
  r.name,
  `${fmt(r.value)} ${r.unit}`,
  r.baseline ? `${fmt(r.baseline.value)} ${r.unit} (${r.baseline.name})` : "",
  fmt(r.ratio),
  r.target ?? "",
  r.pass === undefined ? "" : r.pass ? "PASS" : "FAIL",
]);
const header = ["name", "figure", "baseline (same run)", "ratio", "target", ""];
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join("  ");
console.log(`\n${line(header)}\n${widths.map((w) => "─".repeat(w)).join("  ")}`);
for (const row of rows) console.log(line(row));

fs.writeFileSync(
  path.join(here, "results.json"),
  JSON.stringify(
    {
      date: new Date().toISOString(),
      node: process.version,
      quick: values.quick,
      results: all.map(({ samplesMs: _, ...r }) => r),
    },
    null,
    2,
  ),
);
console.log(`\nWrote bench/results.json`);
const failed = all.filter((r) => r.pass === false);
if (failed.length) console.log(`${failed.length} target(s) missed: ${failed.map((f) => f.name).join("; ")}`);

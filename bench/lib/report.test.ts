import fs from "node:fs";
import { describe, expect, it } from "vitest";
import { histogramOf } from "./histogram.ts";
import { formatNumber, loadCharting, renderReport } from "./report.ts";
import type { ResultsFile } from "./results.ts";
import { NAMED_TARGETS, targetCoverage } from "./targets.ts";

// The results of a real `npm run bench --quick` and a short soak on this project's machine.
const results = JSON.parse(
  fs.readFileSync(new URL("../fixtures/results.json", import.meta.url), "utf8"),
) as ResultsFile;
const charting = loadCharting();
const html = renderReport(results, charting);

const embedded = (page: string) =>
  JSON.parse(/<script id="bench-data" type="application\/json">(.*?)<\/script>/s.exec(page)![1]!) as unknown;

describe("bench/report.html", () => {
  it("lists every line with its figure, baseline, ratio and verdict", () => {
    for (const line of results.results) {
      const row = html.slice(html.indexOf(`<td>${line.name}</td>`)).split("</tr>")[0]!;
      expect(row, line.name).toContain(`${formatNumber(line.value)} ${line.unit}`);
      if (line.baseline) expect(row).toContain(`${formatNumber(line.baseline.value)} ${line.unit}`);
      if (line.ratio !== undefined) expect(row).toContain(`<td class="num">${line.ratio.toFixed(2)}</td>`);
      if (line.target) expect(row).toContain(line.target.replace("<", "&lt;"));
      if (line.pass !== undefined) expect(row).toContain(line.pass ? "<td>PASS</td>" : "<td>FAIL</td>");
    }
  });

  it("shows every target the issues name, each measured, with the baselines they ask for", () => {
    for (const { target, lines } of targetCoverage(results.results)) expect(lines, target.asked).not.toEqual([]);
    expect(html).not.toContain("not measured in this run");
    expect(html.match(/<tr class="[a-z]*"><td>(\d|design)/g)).toHaveLength(NAMED_TARGETS.length);
    const baselines = results.results.flatMap((r) => (r.baseline ? [r.baseline.name] : []));
    for (const asked of [/^bare Express JSON route/, /^jose compactVerify/, /^raw INSERT/, /^bare HTTP POST/])
      expect(
        baselines.some((b) => asked.test(b)),
        String(asked),
      ).toBe(true);
  });

  it("is one file: uPlot inlined, nothing fetched from the network", () => {
    expect(html).toContain(charting.script);
    expect(html).toContain(charting.styles);
    expect(html).not.toMatch(/<(script|img|link|iframe)[^>]*\s(src|href)=/i);
    expect(html).not.toMatch(/url\(\s*['"]?https?:/i);
  });

  it("draws a histogram for every distribution and the RSS series of every soak run", () => {
    expect(embedded(html)).toEqual({ results: results.results, soak: results.soak });
    const withHistogram = results.results.filter((r) => r.histogram);
    expect(withHistogram.length).toBeGreaterThan(5);
    expect(html.match(/data-hist="/g)).toHaveLength(withHistogram.length);
    expect(html.match(/data-baseline>/g)).toHaveLength(results.results.filter((r) => r.baselineHistogram).length);
    const runs = results.soak!.runs;
    expect(html.match(/data-rss="/g)).toHaveLength(runs.length);
    expect(html.match(/data-soak="/g)).toHaveLength(runs.reduce((n, r) => n + r.kinds.length, 0));
  });

  it("keeps the histograms true to the samples they were made from", () => {
    for (const line of results.results.filter((r) => r.samplesMs)) {
      expect(histogramOf(line.samplesMs!), line.name).toEqual(line.histogram);
      const h = line.histogram!;
      expect(h.counts.reduce((a, b) => a + b, 0) + h.above).toBe(line.samplesMs!.length);
    }
  });

  it("escapes names, so that data cannot break out of the page or its data block", () => {
    const hostile = `</script><img src=x onerror=alert(1)> & "quotes"`;
    const tampered: ResultsFile = {
      ...results,
      results: [{ ...results.results[0]!, name: hostile, unit: "<b>ms</b>" }, ...results.results.slice(1)],
    };
    const page = renderReport(tampered, charting);
    expect(page).not.toContain("<img src=x");
    expect(page).toContain("&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt; &amp; &quot;quotes&quot;");
    expect((embedded(page) as ResultsFile).results[0]!.name).toBe(hostile);
  });
});

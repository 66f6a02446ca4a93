import { describe, expect, it } from "vitest";
import { KindRecord, rssGrowth } from "./summary.ts";

const every10s = (mib: (s: number) => number, until: number) =>
  Array.from({ length: until / 10 + 1 }, (_, i) => ({ atSeconds: i * 10, mib: mib(i * 10) }));

describe("soak summary", () => {
  it("measures RSS growth over the last 4 of 5 minutes, after the warm-up", () => {
    // Fast growth in the first minute (warm-up), then 5 % more by the end.
    const rss = every10s((s) => (s <= 60 ? 200 + s : 260 + ((s - 60) / 240) * 13), 300);
    const growth = rssGrowth(rss, 300);
    expect(growth).toMatchObject({ fromSeconds: 60, toSeconds: 300, fromMiB: 260, toMiB: 273 });
    expect(growth.ratio).toBeCloseTo(0.05, 9);
  });

  it("scales the window to shorter runs: the last 80 %", () => {
    expect(
      rssGrowth(
        every10s((s) => 100 + s, 60),
        60,
      ),
    ).toMatchObject({ fromSeconds: 10, toSeconds: 60 });
    expect(() => rssGrowth([{ atSeconds: 0, mib: 1 }], 10)).toThrow(/two samples/);
  });

  it("measures another figure of the samples over the same window", () => {
    const samples = every10s((s) => 300 + s, 300).map((s) => ({ ...s, live: 50 + s.atSeconds / 10 }));
    const growth = rssGrowth(samples, 300, (s) => s.live);
    expect(growth).toMatchObject({ fromSeconds: 60, toSeconds: 300, fromMiB: 56, toMiB: 80 });
    expect(growth.ratio).toBeCloseTo(24 / 56, 9);
  });

  it("counts statuses per kind and flags only what the kind does not expect", () => {
    const record = new KindRecord("check", 400);
    for (let i = 1; i <= 100; i++) record.add(200, i, true);
    record.add(503, 5000, false);
    record.add("error", 10, false);
    const summary = record.summary();
    expect(summary).toMatchObject({ kind: "check", requests: 102, statuses: { 200: 100, 503: 1, error: 1 } });
    expect(summary).toMatchObject({ unexpected: 2, p50: 50, p99: 100, max: 5000 });
    expect(summary.histogram.count).toBe(102);
    record.add(200, 1, true);
    expect(summary.statuses).toEqual({ 200: 100, 503: 1, error: 1 });
  });
});

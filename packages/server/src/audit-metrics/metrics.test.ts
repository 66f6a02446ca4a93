import { describe, expect, test } from "vitest";
import { slaOutcome, type TakedownFact } from "./facts.ts";
import { buildMetrics, latencySummary } from "./metrics.ts";
import { nearestRank } from "./percentile.ts";

const at = (iso: string) => new Date(iso);

function takedown(requested: string, dueAt: string, removedAt?: string): TakedownFact {
  return {
    takedownId: `t-${requested}`,
    platformId: "p",
    publicationId: "pub",
    reason: "revocation",
    requested: { index: 1, time: requested },
    dueAt,
    acknowledged: removedAt ? { index: 2, time: removedAt, removedAt } : null,
  };
}

describe("nearest-rank percentiles", () => {
  test("are always one of the observations", () => {
    const values = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
    expect(nearestRank(values, 50)).toBe(5);
    expect(nearestRank(values, 90)).toBe(9);
    expect(nearestRank(values, 95)).toBe(10);
    expect(nearestRank(values, 0)).toBe(1);
    expect(nearestRank([7], 99)).toBe(7);
    expect(nearestRank([], 50)).toBeUndefined();
  });

  test("of takedown latencies", () => {
    const list = [600, 60, 3600, 120].map((s) =>
      takedown(
        "2026-01-01T00:00:00.000Z",
        "2026-01-02T00:00:00.000Z",
        new Date(Date.parse("2026-01-01T00:00:00.000Z") + s * 1000).toISOString(),
      ),
    );
    expect(latencySummary([...list, takedown("2026-01-01T00:00:00.000Z", "2026-01-02T00:00:00.000Z")])).toEqual({
      count: 4,
      p50: 120,
      p90: 3600,
      p95: 3600,
      p99: 3600,
      max: 3600,
    });
  });
});

describe("SLA outcome", () => {
  const due = "2026-01-01T01:00:00.000Z";
  test.each([
    ["removed before the deadline", "2026-01-01T00:30:00.000Z", "2026-01-01T05:00:00Z", "met"],
    ["removed exactly at the deadline", due, "2026-01-01T05:00:00Z", "met"],
    ["removed after the deadline", "2026-01-01T01:00:00.001Z", "2026-01-01T05:00:00Z", "breached"],
    ["not removed, deadline passed", undefined, "2026-01-01T01:00:01Z", "breached"],
    ["not removed, deadline ahead", undefined, "2026-01-01T00:59:00Z", "pending"],
  ])("%s: %s", (_what, removedAt, now, outcome) => {
    expect(slaOutcome(takedown("2026-01-01T00:00:00.000Z", due, removedAt), at(now))).toBe(outcome);
  });
});

describe("buildMetrics", () => {
  test("buckets by UTC day of the request, over the whole period", () => {
    const metrics = buildMetrics(
      {
        platformId: undefined,
        from: at("2026-01-01T12:00:00Z"),
        to: at("2026-01-03T06:00:00Z"),
        treeSize: 10,
        counts: {
          publications: new Map([["2026-01-01", 1]]),
          consents: new Map([
            ["2026-01-01", 1],
            ["2026-01-02", 1],
          ]),
          declines: new Map(),
          revocations: new Map(),
          reports: new Map(),
        },
        takedowns: [takedown("2026-01-02T10:00:00.000Z", "2026-01-02T11:00:00.000Z", "2026-01-02T10:10:00.000Z")],
      },
      at("2026-01-03T06:00:00Z"),
    );
    expect(
      metrics.daily.map((d) => [d.date, d.publications, d.consents, d.takedownsRequested, d.latencyP50Seconds]),
    ).toEqual([
      ["2026-01-01", 1, 1, 0, null],
      ["2026-01-02", 0, 1, 1, 600],
      ["2026-01-03", 0, 0, 0, null],
    ]);
    expect(metrics.totals).toMatchObject({
      publications: 1,
      consents: 2,
      takedownsRequested: 1,
      takedownsCompleted: 1,
    });
    expect(metrics.takedowns.sla).toEqual({ met: 1, breached: 0, pending: 0, compliance: 1 });
  });
});

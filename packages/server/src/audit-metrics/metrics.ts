import type { AuditMetrics } from "@vergewis/sdk";
import { COUNTER_NAMES, type CounterName } from "./catalogue.ts";
import { latencySeconds, slaOutcome, type Period, type TakedownFact } from "./facts.ts";
import { nearestRank } from "./percentile.ts";

const DAY = 86_400_000;
const dayOf = (time: string) => time.slice(0, 10);

/** Latencies in seconds, ascending, of the takedowns that were acknowledged. */
export const sortedLatencies = (takedowns: readonly TakedownFact[]) =>
  takedowns
    .map((takedown) => ({ takedown, seconds: latencySeconds(takedown) }))
    .filter((l): l is { takedown: TakedownFact; seconds: number } => l.seconds !== undefined)
    .sort((a, b) => a.seconds - b.seconds);

export function latencySummary(takedowns: readonly TakedownFact[]) {
  const sorted = sortedLatencies(takedowns);
  const at = (p: number) => nearestRank(sorted, p)?.seconds ?? null;
  return {
    count: sorted.length,
    p50: at(50),
    p90: at(90),
    p95: at(95),
    p99: at(99),
    max: sorted.at(-1)?.seconds ?? null,
  };
}

export function slaSummary(takedowns: readonly TakedownFact[], now: Date) {
  let met = 0;
  let breached = 0;
  for (const t of takedowns) {
    const outcome = slaOutcome(t, now);
    if (outcome === "met") met++;
    else if (outcome === "breached") breached++;
  }
  return {
    met,
    breached,
    pending: takedowns.length - met - breached,
    compliance: met + breached ? met / (met + breached) : null,
  };
}

interface Bucket {
  counted: Record<CounterName, number>;
  takedowns: TakedownFact[];
}

const emptyBucket = (): Bucket => ({
  counted: Object.fromEntries(COUNTER_NAMES.map((n) => [n, 0])) as Record<CounterName, number>,
  takedowns: [],
});

const totals = (b: Bucket) => ({
  ...b.counted,
  takedownsRequested: b.takedowns.length,
  takedownsCompleted: b.takedowns.filter((t) => t.acknowledged).length,
});

/** What the metrics are computed from: counts per figure and UTC day, and the period's takedowns. */
export interface MetricFacts extends Period {
  counts: Record<CounterName, Map<string, number>>;
  takedowns: TakedownFact[];
}

/** The figures of GET /v1/audit/metrics: totals, takedown latency and SLA, and the same per UTC day. */
export function buildMetrics(facts: MetricFacts, now: Date): AuditMetrics {
  const days = new Map<string, Bucket>();
  for (let t = Date.parse(dayOf(facts.from.toISOString())); t < facts.to.getTime(); t += DAY) {
    days.set(new Date(t).toISOString().slice(0, 10), emptyBucket());
  }
  const all = emptyBucket();
  for (const name of COUNTER_NAMES) {
    for (const [date, n] of facts.counts[name]) {
      all.counted[name] += n;
      const day = days.get(date);
      if (day) day.counted[name] += n;
    }
  }
  for (const takedown of facts.takedowns) {
    all.takedowns.push(takedown);
    days.get(dayOf(takedown.requested.time))?.takedowns.push(takedown);
  }
  return {
    platformId: facts.platformId ?? null,
    from: facts.from.toISOString(),
    to: facts.to.toISOString(),
    treeSize: facts.treeSize,
    totals: totals(all),
    takedowns: { latencySeconds: latencySummary(all.takedowns), sla: slaSummary(all.takedowns, now) },
    daily: [...days].map(([date, bucket]) => {
      const sla = slaSummary(bucket.takedowns, now);
      const latency = latencySummary(bucket.takedowns);
      return {
        date,
        ...totals(bucket),
        slaMet: sla.met,
        slaBreached: sla.breached,
        latencyP50Seconds: latency.p50,
        latencyP95Seconds: latency.p95,
      };
    }),
  };
}

import { histogramOf } from "../lib/histogram.ts";
import { percentile } from "../lib/load.ts";
import type { Growth, SoakKind } from "../lib/results.ts";

/** Every response of one kind of request: latency, status, whether the status was intended. */
export class KindRecord {
  readonly latenciesMs: number[] = [];
  readonly statuses: Record<string, number> = {};
  unexpected = 0;

  constructor(
    readonly kind: string,
    readonly rate: number,
  ) {}

  add(status: number | "error", ms: number, expected: boolean) {
    this.latenciesMs.push(ms);
    this.statuses[status] = (this.statuses[status] ?? 0) + 1;
    if (!expected) this.unexpected++;
  }

  summary(): SoakKind {
    const sorted = [...this.latenciesMs].sort((a, b) => a - b);
    const round = (n: number) => Number(n.toFixed(2));
    return {
      kind: this.kind,
      rate: round(this.rate),
      requests: sorted.length,
      p50: round(percentile(sorted, 50)),
      p99: round(percentile(sorted, 99)),
      max: round(sorted[sorted.length - 1] ?? NaN),
      // A copy: operations still unanswered when the run is summed up may settle later.
      statuses: { ...this.statuses },
      unexpected: this.unexpected,
      histogram: histogramOf(sorted.length ? sorted : [0]),
    };
  }
}

/**
 * RSS growth over the last 4 of 5 minutes, scaled to shorter runs (the last 80 %): the first part
 * is warm-up (JIT, pools, caches filling). From the sample nearest the window's start to the last.
 * `of` picks another figure of the samples (the live heap) to measure over the same window.
 */
export function rssGrowth<S extends { atSeconds: number; mib: number }>(
  rss: S[],
  durationSeconds: number,
  of: (sample: S) => number = (s) => s.mib,
): Growth {
  if (rss.length < 2) throw new Error("RSS growth needs two samples at least");
  const windowStart = durationSeconds - Math.min(240, 0.8 * durationSeconds);
  const last = rss[rss.length - 1]!;
  const first = rss
    .slice(0, -1)
    .reduce((best, s) => (Math.abs(s.atSeconds - windowStart) < Math.abs(best.atSeconds - windowStart) ? s : best));
  return {
    fromSeconds: first.atSeconds,
    toSeconds: last.atSeconds,
    fromMiB: of(first),
    toMiB: of(last),
    ratio: (of(last) - of(first)) / of(first),
  };
}

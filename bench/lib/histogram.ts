/**
 * A latency distribution as bucket counts: what bench/results.json keeps of a benchmark's samples
 * and bench/report.html draws. Buckets grow geometrically from the fastest sample to the 99.5th
 * percentile (latencies are skewed: a linear scale would put the body into one bar and the tail
 * across the rest); the slow tail beyond is counted in `above`, with its maximum kept.
 */
export interface Histogram {
  /** Bucket edges in ms: bucket i holds samples in [edgesMs[i], edgesMs[i + 1]). */
  edgesMs: number[];
  counts: number[];
  /** Samples at or above the last edge. */
  above: number;
  count: number;
  minMs: number;
  maxMs: number;
}

const round = (n: number) => Number(n.toPrecision(4));

export function histogramOf(samples: readonly number[], buckets = 40): Histogram {
  if (!samples.length) throw new Error("a histogram needs at least one sample");
  const sorted = [...samples].sort((a, b) => a - b);
  const min = sorted[0]!;
  const max = sorted[sorted.length - 1]!;
  const top = sorted[Math.min(sorted.length - 1, Math.ceil(0.995 * sorted.length) - 1)]!;
  // Edges at min · q^i; the last lies just above the 99.5th percentile, so that it is counted.
  const low = Math.max(min, 1e-3);
  const q = Math.max(top / low, 1.01) ** (1 / buckets) * (1 + 1e-9);
  const edgesMs = Array.from({ length: buckets + 1 }, (_, i) => round(low * q ** i));
  const counts = new Array<number>(buckets).fill(0);
  let above = 0;
  for (const sample of sorted) {
    // The bucket from the rounded edges, so that the stored histogram is exactly reproducible.
    let bucket = Math.min(buckets, Math.max(0, Math.floor(Math.log(Math.max(sample, low) / low) / Math.log(q))));
    while (bucket > 0 && sample < edgesMs[bucket]!) bucket--;
    while (bucket < buckets && sample >= edgesMs[bucket + 1]!) bucket++;
    if (bucket >= buckets) above++;
    else counts[bucket]!++;
  }
  return { edgesMs, counts, above, count: sorted.length, minMs: round(min), maxMs: round(max) };
}

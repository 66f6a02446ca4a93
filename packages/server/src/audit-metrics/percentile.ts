/**
 * Nearest-rank percentile: the smallest observation with at least p % of them at or below it. It
 * is always one real observation, so a reported median or p95 can be traced to one takedown.
 */
export function nearestRank<T>(sorted: readonly T[], p: number): T | undefined {
  if (sorted.length === 0) return undefined;
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1];
}

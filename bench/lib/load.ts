import autocannon from "autocannon";

export interface LoadOptions {
  url: string;
  method?: "GET" | "POST";
  headers?: Record<string, string>;
  body?: string;
  durationSeconds: number;
  connections?: number;
  /** Requests per second over all connections; unset = as fast as the server answers. */
  rate?: number;
}

export interface LoadResult {
  requestsPerSecond: number;
  p50: number;
  p99: number;
  requests: number;
  errors: number;
  non2xx: number;
  /** The latency of every response, in ms. */
  samplesMs: number[];
}

/** HTTP load from this process (the server under test runs in another process). */
export async function load(options: LoadOptions): Promise<LoadResult> {
  const samplesMs: number[] = [];
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url: options.url,
        method: options.method ?? "GET",
        headers: options.headers ?? {},
        ...(options.body !== undefined && { body: options.body }),
        duration: options.durationSeconds,
        connections: options.connections ?? 16,
        ...(options.rate !== undefined && { overallRate: options.rate }),
      },
      (error: unknown, done) =>
        error ? reject(error instanceof Error ? error : new Error(String(error))) : resolve(done),
    );
    // autocannon's result holds percentiles only; the distribution is collected response by response.
    instance.on("response", (_client, _status, _bytes, responseTime) => samplesMs.push(responseTime));
  });
  return {
    requestsPerSecond: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    requests: result.requests.total,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
    samplesMs,
  };
}

export function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

export const median = (values: number[]) =>
  percentile(
    [...values].sort((a, b) => a - b),
    50,
  );

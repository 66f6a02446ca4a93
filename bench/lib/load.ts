import http from "node:http";
import autocannon from "autocannon";
import { openLoop } from "./open-loop.ts";

export interface LoadOptions {
  url: string;
  method?: "GET" | "POST";
  headers?: Record<string, string>;
  body?: string;
  durationSeconds: number;
  /** Keep-alive connections: the most requests in flight at once (default 16). */
  connections?: number;
  /**
   * Requests per second, started at evenly spaced times whether or not earlier ones have been
   * answered (an open loop); unset = as fast as the server answers, each connection waiting for
   * its answer before sending the next request.
   */
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

/** A paced request unanswered this long counts as an error (autocannon's default timeout too). */
const TIMEOUT_MS = 10_000;

/** HTTP load from this process (the server under test runs in another process). */
export function load(options: LoadOptions): Promise<LoadResult> {
  return options.rate === undefined ? saturate(options) : paced(options, options.rate);
}

/** As many requests as `connections` keep-alive connections carry, each sent when the last was answered. */
async function saturate(options: LoadOptions): Promise<LoadResult> {
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

/**
 * `rate` requests per second, request k started at k / rate over keep-alive connections, whatever
 * the answers. A latency counts from the request's scheduled time, not from when it was written:
 * a request that waited for a free connection, or for this process's event loop, kept its caller
 * waiting just the same (measuring from the send would omit exactly the slow periods).
 */
async function paced(options: LoadOptions, rate: number): Promise<LoadResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: options.connections ?? 16 });
  const headers = {
    ...options.headers,
    ...(options.body !== undefined && { "content-length": String(Buffer.byteLength(options.body)) }),
  };
  const samplesMs: number[] = [];
  let errors = 0;
  let non2xx = 0;
  let lastAnswer = 0;
  const answers: Array<Promise<void>> = [];
  const send = (scheduledAt: number) =>
    new Promise<void>((resolve) => {
      let settled = false;
      const settle = (failed: boolean, status = 0) => {
        if (settled) return;
        settled = true;
        lastAnswer = performance.now();
        if (failed) errors++;
        else {
          samplesMs.push(lastAnswer - scheduledAt);
          if (status < 200 || status > 299) non2xx++;
        }
        resolve();
      };
      const request = http.request(
        options.url,
        { method: options.method ?? "GET", headers, agent, timeout: TIMEOUT_MS },
        (response) => {
          response.on("end", () => settle(false, response.statusCode));
          response.on("error", () => settle(true));
          response.resume();
        },
      );
      request.on("timeout", () => request.destroy(new Error(`no answer within ${TIMEOUT_MS} ms`)));
      request.on("error", () => settle(true));
      request.end(options.body);
    });
  const start = performance.now();
  try {
    await openLoop(rate, options.durationSeconds * 1000, (_slot, lateMs) =>
      answers.push(send(performance.now() - lateMs)),
    );
    await Promise.all(answers);
  } finally {
    agent.destroy();
  }
  const sorted = [...samplesMs].sort((a, b) => a - b);
  return {
    requestsPerSecond: samplesMs.length / ((lastAnswer - start) / 1000),
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    requests: answers.length,
    errors,
    non2xx,
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

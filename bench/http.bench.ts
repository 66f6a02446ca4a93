import { randomBytes } from "node:crypto";
import os from "node:os";
import { load, median, percentile } from "./lib/load.ts";
import { startChild } from "./lib/server-process.ts";
import type { Benchmark, BenchResult } from "./lib/types.ts";
import { startVergewis } from "./lib/vergewis-server.ts";
import { publicationRequest } from "../test/support/fixtures.ts";

/**
 * Issue 3 targets: the publish check against a bare Express route, and publication requests. The
 * built server (bench/lib/vergewis-server.ts) and the bare route run in processes of their own.
 */
export const httpBenchmark: Benchmark = {
  name: "http",
  async run(ctx) {
    const server = await startVergewis();
    const bareServer = await startChild<{ url: string }>(new URL("./servers/bare.ts", import.meta.url).pathname).catch(
      async (error: unknown) => {
        await server.stop();
        throw error;
      },
    );
    const results: BenchResult[] = [];
    try {
      const { url, apiKey, fingerprint, database } = server.info;
      const bareUrl = bareServer.info.url;
      const seconds = ctx.quick ? 3 : 10;
      const headers = { "content-type": "application/json", authorization: `Bearer ${apiKey}` };
      const body = JSON.stringify({ fingerprint });

      // Paced: 500 req/s on up to 20 connections; otherwise as fast as 16 connections carry.
      const pacing = (rate?: number) => (rate === undefined ? {} : { rate, connections: 20 });
      const checkLoad = (rate?: number) =>
        load({ url: `${url}/v1/check`, method: "POST", headers, body, durationSeconds: seconds, ...pacing(rate) });
      const bareLoad = (rate?: number) =>
        load({ url: `${bareUrl}/check`, method: "POST", headers, body, durationSeconds: seconds, ...pacing(rate) });
      const loadAverage = () =>
        os
          .loadavg()
          .map((n) => n.toFixed(2))
          .join(" / ");

      const idleRss = server.rssMiB();
      ctx.log("warming up at 500 req/s");
      const warmUp = { method: "POST" as const, headers, body, durationSeconds: 2, ...pacing(500) };
      await load({ url: `${url}/v1/check`, ...warmUp });
      await load({ url: `${bareUrl}/check`, ...warmUp });

      // The steady load first: what the targets describe, not the aftermath of the saturating runs.
      ctx.log(`POST /v1/check and the bare route at 500 req/s (open loop), ${seconds} s each`);
      let peakRss = server.rssMiB();
      const sampler = setInterval(() => (peakRss = Math.max(peakRss, server.rssMiB())), 250);
      const cpuBefore = server.cpuSeconds();
      const steady = await checkLoad(500).finally(() => clearInterval(sampler));
      const cpuShare = (server.cpuSeconds() - cpuBefore) / seconds;
      peakRss = Math.max(peakRss, server.rssMiB());
      // With the server's CPU and the machine's load: a p99 taken while the server was starved says little.
      ctx.log(
        `server RSS ${Math.round(idleRss)} MiB idle, ${Math.round(peakRss)} MiB at most under the check load; embedded ` +
          `database process ${Math.round(server.descendantsRssMiB())} MiB; server CPU ${Math.round(cpuShare * 100)} % ` +
          `of a core; load average ${loadAverage()}`,
      );
      const bareSteady = await bareLoad(500);
      results.push({
        name: `check p99 at 500 req/s (${database})`,
        value: steady.p99,
        unit: "ms",
        baseline: { name: "bare Express JSON route at 500 req/s", value: bareSteady.p99 },
        ratio: steady.p99 / bareSteady.p99,
        target: "< 10 ms",
        pass: steady.p99 < 10 && steady.errors === 0 && steady.non2xx === 0,
        samplesMs: steady.samplesMs,
        baselineSamplesMs: bareSteady.samplesMs,
      });
      results.push({
        name: "server RSS under the 500 req/s check load",
        value: Math.round(peakRss),
        unit: "MiB",
        target: "< 300 MiB",
        pass: peakRss < 300,
      });

      ctx.log(`bare Express JSON route, as fast as it answers on 16 connections, ${seconds} s`);
      const bare = await bareLoad();
      ctx.log(`POST /v1/check (${database}), as fast as it answers on 16 connections, ${seconds} s`);
      const check = await checkLoad();
      if (check.errors || check.non2xx)
        throw new Error(`check load had ${check.errors} errors, ${check.non2xx} non-2xx`);
      ctx.log(`server RSS ${Math.round(server.rssMiB())} MiB after it; load average ${loadAverage()}`);
      const ratio = check.requestsPerSecond / bare.requestsPerSecond;
      results.push({
        name: `check throughput (${database})`,
        value: Math.round(check.requestsPerSecond),
        unit: "req/s",
        baseline: { name: "bare Express JSON route", value: Math.round(bare.requestsPerSecond) },
        ratio,
        target: "ratio ≥ 0.5",
        pass: ratio >= 0.5,
        samplesMs: check.samplesMs,
        baselineSamplesMs: bare.samplesMs,
      });

      const count = ctx.quick ? 200 : 1000;
      ctx.log(`POST /v1/publications × ${count}, sequential, each followed by the same body to the bare route`);
      const samples: number[] = [];
      const bareSamples: number[] = [];
      const post = async (target: string, payload: string, status: number) => {
        const start = performance.now();
        const res = await fetch(target, { method: "POST", headers, body: payload });
        await res.arrayBuffer();
        if (res.status !== status) throw new Error(`${target} answered ${res.status}`);
        return performance.now() - start;
      };
      for (let i = 0; i < count; i++) {
        const payload = JSON.stringify(publicationRequest({ externalId: `bench-${randomBytes(8).toString("hex")}` }));
        samples.push(await post(`${url}/v1/publications`, payload, 201));
        bareSamples.push(await post(`${bareUrl}/json`, payload, 201));
      }
      const sorted = [...samples].sort((a, b) => a - b);
      const bareMedian = median(bareSamples);
      results.push({
        name: `POST /v1/publications median (${database})`,
        value: Number(median(samples).toFixed(2)),
        unit: "ms",
        baseline: { name: "bare Express JSON route, same body", value: Number(bareMedian.toFixed(2)) },
        ratio: median(samples) / bareMedian,
        samplesMs: samples,
        baselineSamplesMs: bareSamples,
      });
      results.push({
        name: `POST /v1/publications p99 (${database})`,
        value: Number(percentile(sorted, 99).toFixed(2)),
        unit: "ms",
        baseline: {
          name: "bare Express JSON route, same body",
          value: Number(
            percentile(
              [...bareSamples].sort((a, b) => a - b),
              99,
            ).toFixed(2),
          ),
        },
      });
    } finally {
      await bareServer.stop();
      await server.stop();
    }
    return results;
  },
};

import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { load, median, percentile } from "./lib/load.ts";
import { startChild } from "./lib/server-process.ts";
import type { Benchmark, BenchResult } from "./lib/types.ts";
import { publicationRequest } from "../test/support/fixtures.ts";

interface Info {
  url: string;
  bareUrl: string;
  apiKey: string;
  fingerprint: { alg: string; value: string };
  database: string;
}

/** Issue 3 targets: the publish check against a bare Express route, and publication requests. */
export const httpBenchmark: Benchmark = {
  name: "http",
  async run(ctx) {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "vergewis-bench-"));
    execFileSync(process.execPath, ["packages/server/dist/cli.js", "migrate"], {
      env: { ...process.env, VERGEWIS_DATA_DIR: dataDir },
      stdio: "ignore",
    });
    const server = await startChild<Info>(new URL("./servers/vergewis.ts", import.meta.url).pathname, {
      BENCH_DATA_DIR: dataDir,
    });
    const results: BenchResult[] = [];
    try {
      const { url, bareUrl, apiKey, fingerprint, database } = server.info;
      const seconds = ctx.quick ? 3 : 10;
      const headers = { "content-type": "application/json", authorization: `Bearer ${apiKey}` };
      const body = JSON.stringify({ fingerprint });

      ctx.log("warming up");
      await load({ url: `${url}/v1/check`, method: "POST", headers, body, durationSeconds: 2 });
      await load({ url: `${bareUrl}/check`, method: "POST", headers, body, durationSeconds: 2 });

      ctx.log(`bare Express JSON route, ${seconds} s`);
      const bare = await load({ url: `${bareUrl}/check`, method: "POST", headers, body, durationSeconds: seconds });
      ctx.log(`POST /v1/check (${database}), ${seconds} s`);
      const check = await load({ url: `${url}/v1/check`, method: "POST", headers, body, durationSeconds: seconds });
      if (check.errors || check.non2xx)
        throw new Error(`check load had ${check.errors} errors, ${check.non2xx} non-2xx`);
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

      ctx.log(`POST /v1/check and the bare route at 500 req/s, ${seconds} s each`);
      const atRate = (target: string) =>
        load({ url: target, method: "POST", headers, body, durationSeconds: seconds, rate: 500, connections: 20 });
      const steady = await atRate(`${url}/v1/check`);
      const rss = server.rssMiB();
      const bareSteady = await atRate(`${bareUrl}/check`);
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
        name: "server RSS after check load",
        value: Math.round(rss),
        unit: "MiB",
        target: "< 300 MiB",
        pass: rss < 300,
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
      await server.stop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
    return results;
  },
};

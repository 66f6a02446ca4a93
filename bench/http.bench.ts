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
      });

      ctx.log(`POST /v1/check at 500 req/s, ${seconds} s`);
      const steady = await load({
        url: `${url}/v1/check`,
        method: "POST",
        headers,
        body,
        durationSeconds: seconds,
        rate: 500,
        connections: 20,
      });
      const rss = server.rssMiB();
      results.push({
        name: `check p99 at 500 req/s (${database})`,
        value: steady.p99,
        unit: "ms",
        target: "< 10 ms",
        pass: steady.p99 < 10 && steady.errors === 0 && steady.non2xx === 0,
      });
      results.push({
        name: "server RSS after check load",
        value: Math.round(rss),
        unit: "MiB",
        target: "< 300 MiB",
        pass: rss < 300,
      });

      const count = ctx.quick ? 200 : 1000;
      ctx.log(`POST /v1/publications × ${count}, sequential`);
      const samples: number[] = [];
      for (let i = 0; i < count; i++) {
        const payload = JSON.stringify(publicationRequest({ externalId: `bench-${randomBytes(8).toString("hex")}` }));
        const start = performance.now();
        const res = await fetch(`${url}/v1/publications`, { method: "POST", headers, body: payload });
        await res.arrayBuffer();
        samples.push(performance.now() - start);
        if (res.status !== 201) throw new Error(`publication request answered ${res.status}`);
      }
      const sorted = [...samples].sort((a, b) => a - b);
      results.push({
        name: `POST /v1/publications median (${database})`,
        value: Number(median(samples).toFixed(2)),
        unit: "ms",
        samplesMs: samples,
      });
      results.push({
        name: `POST /v1/publications p99 (${database})`,
        value: Number(percentile(sorted, 99).toFixed(2)),
        unit: "ms",
      });
    } finally {
      await server.stop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
    return results;
  },
};

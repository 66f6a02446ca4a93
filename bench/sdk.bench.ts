import { execFileSync } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { createGate, fingerprintFile, Vergewis } from "@vergewis/sdk";
import type { Benchmark, BenchResult } from "./lib/types.ts";
import { startVergewis } from "./lib/vergewis-server.ts";

const root = fileURLToPath(new URL("..", import.meta.url));

/** Calls `once` from `concurrency` loops for `seconds`; completed calls per second. */
async function throughput(seconds: number, concurrency: number, once: () => Promise<unknown>): Promise<number> {
  const until = performance.now() + seconds * 1000;
  let done = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < until) {
        await once();
        done++;
      }
    }),
  );
  return done / seconds;
}

/** Issue 8: what the SDK costs an integrator, in bytes installed and in time per call. */
export const sdkBenchmark: Benchmark = {
  name: "sdk",
  async run(ctx) {
    const results: BenchResult[] = [];
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "vergewis-bench-sdk-"));
    try {
      ctx.log("pnpm pack of the built @vergewis/sdk");
      const { packageManager } = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8")) as {
        packageManager: string;
      };
      execFileSync("npx", ["--yes", packageManager, "pack", "--pack-destination", tmp], {
        cwd: path.join(root, "packages/sdk"),
        stdio: "ignore",
      });
      const tarball = fs.readdirSync(tmp).find((f) => f.endsWith(".tgz"))!;
      const unpacked = path.join(tmp, "unpacked");
      fs.mkdirSync(unpacked);
      execFileSync("tar", ["-xzf", path.join(tmp, tarball), "-C", unpacked]);
      const files = fs
        .readdirSync(path.join(unpacked, "package/dist"))
        .map((f) => path.join(unpacked, "package/dist", f));
      const bytes = (filter: (f: string) => boolean) =>
        files.filter(filter).reduce((sum, f) => sum + fs.statSync(f).size, 0);
      results.push({
        name: "sdk: packed size",
        value: Math.round(fs.statSync(path.join(tmp, tarball)).size / 1024),
        unit: "KiB",
      });
      results.push({
        name: "sdk: ESM code (no maps, no types)",
        value: Math.round(bytes((f) => f.endsWith(".js")) / 1024),
        unit: "KiB",
      });
      results.push({
        name: "sdk: CJS code (no maps, no types)",
        value: Math.round(bytes((f) => f.endsWith(".cjs")) / 1024),
        unit: "KiB",
      });

      const size = (ctx.quick ? 64 : 512) * 1024 * 1024;
      const file = path.join(tmp, "video.bin");
      ctx.log(`fingerprintFile on a ${size / 1024 / 1024} MiB file against a bare createHash loop`);
      const fd = fs.openSync(file, "w");
      const block = randomBytes(8 * 1024 * 1024);
      for (let written = 0; written < size; written += block.length) fs.writeSync(fd, block);
      fs.closeSync(fd);
      const bare = async () => {
        const hash = createHash("sha256");
        for await (const chunk of fs.createReadStream(file, { highWaterMark: 256 * 1024 }))
          hash.update(chunk as Buffer);
        return hash.digest("hex");
      };
      const mibPerSecond = async (run: () => Promise<unknown>) => {
        await run();
        const start = performance.now();
        for (let i = 0; i < 3; i++) await run();
        return (3 * size) / 1024 / 1024 / ((performance.now() - start) / 1000);
      };
      const baseline = await mibPerSecond(bare);
      const sdk = await mibPerSecond(() => fingerprintFile(file));
      results.push({
        name: "sdk: fingerprintFile",
        value: Math.round(sdk),
        unit: "MiB/s",
        baseline: { name: "createHash over a read stream", value: Math.round(baseline) },
        ratio: sdk / baseline,
        target: "ratio ≥ 0.9",
        pass: sdk / baseline >= 0.9,
      });
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }

    const server = await startVergewis();
    try {
      const { url, apiKey, fingerprint, database } = server.info;
      const seconds = ctx.quick ? 3 : 8;
      const concurrency = 16;
      const vergewis = new Vergewis({ apiKey, baseUrl: url });
      const init = {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${apiKey}` },
        body: JSON.stringify({ fingerprint }),
      };
      const raw = async () => (await fetch(`${url}/v1/check`, init)).json();
      ctx.log("warming up");
      await throughput(2, concurrency, raw);
      await throughput(2, concurrency, () => vergewis.check(fingerprint));

      ctx.log(`raw fetch against vergewis.check(), ${concurrency} in flight, alternating, ${seconds} s each`);
      // Alternating halves, so that a drift of the shared machine does not favour either side.
      let rawRate = 0;
      let sdkRate = 0;
      for (let round = 0; round < 2; round++) {
        rawRate += (await throughput(seconds / 2, concurrency, raw)) / 2;
        sdkRate += (await throughput(seconds / 2, concurrency, () => vergewis.check(fingerprint))) / 2;
      }
      results.push({
        name: `sdk: check() throughput (${database})`,
        value: Math.round(sdkRate),
        unit: "calls/s",
        baseline: { name: "fetch + JSON.parse", value: Math.round(rawRate) },
        ratio: sdkRate / rawRate,
        target: "ratio ≥ 0.8",
        pass: sdkRate / rawRate >= 0.8,
      });

      const gate = createGate({ client: vergewis, cache: { maxAgeMs: 5_000 } });
      const cachedRate = await throughput(ctx.quick ? 1 : 2, concurrency, () => gate({ fingerprint }));
      results.push({
        name: "sdk: gate decisions, cache maxAgeMs 5 s",
        value: Math.round(cachedRate),
        unit: "decisions/s",
        baseline: { name: "uncached check()", value: Math.round(sdkRate) },
        ratio: cachedRate / sdkRate,
      });
    } finally {
      await server.stop();
    }
    return results;
  },
};

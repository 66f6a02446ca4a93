import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createGate, StatusListCache, Vergewis, VergewisConnectionError, type GateClient } from "@vergewis/sdk";
import { startExample } from "../packages/examples/src/index.ts";
import { loadConfig } from "../packages/server/src/config/load.ts";
import { createLogger } from "../packages/server/src/log.ts";
import { createPlatform } from "../packages/server/src/platform/create.ts";
import { startServer } from "../packages/server/src/runtime/start.ts";
import { TestPerformer } from "../test/support/performer.ts";
import { freshIdentity } from "../test/support/portal.ts";
import { median, percentile } from "./lib/load.ts";
import type { Benchmark, BenchResult } from "./lib/types.ts";

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

/**
 * Issue 8, the example platform against a real server on embedded PGlite: how long from a
 * performer's revocation until the platform has deleted the file (its `/media/:id` answers 410)
 * and acknowledged, by webhook; and what a gate decision costs online (`POST /v1/check`) and
 * offline (kept receipts, cached key set and status list, the server unreachable).
 */
export const examplesBenchmark: Benchmark = {
  name: "examples",
  async run(ctx) {
    const count = ctx.quick ? 20 : 100;
    const seconds = ctx.quick ? 2 : 5;
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "vergewis-bench-examples-"));
    const config = loadConfig(
      {},
      {
        mode: "test",
        dataDir: path.join(dataDir, "server"),
        secret: randomBytes(32).toString("base64url"),
        logLevel: "silent",
        http: { host: "127.0.0.1", port: 0 },
        rateLimits: { login: 1e6, invitations: 1e6, verification: 1e6 },
      },
    );
    ctx.log("starting a server on a new embedded PGlite and the example platform");
    const server = await startServer(config, { log: createLogger(config) });
    const { apiKey } = await createPlatform(server.ctx.db, { name: "Bench example platform" });
    const example = await startExample({
      vergewisUrl: server.url,
      apiKey,
      dataDir: path.join(dataDir, "example"),
      port: 0,
      takedownPollMs: 0,
      gateCacheMs: 0,
    });
    try {
      const performer = await new TestPerformer(server.url).onboard(freshIdentity("adult"));
      ctx.log(`${count} uploads, each consented to with a passkey`);
      const uploads: Array<{ id: string; sha256: string; consentId: string }> = [];
      for (let i = 0; i < count; i++) {
        const body = new FormData();
        for (const [name, value] of Object.entries({ title: `Bench ${i}`, uploaderDepicted: "yes", territories: "NL" }))
          body.append(name, value);
        body.append("file", new Blob([new Uint8Array(randomBytes(10_000))], { type: "video/mp4" }), "bench.mp4");
        const res = await fetch(`${example.url}/uploads`, { method: "POST", body, redirect: "manual" });
        if (res.status !== 303) throw new Error(`upload: ${res.status}`);
        const upload = (await example.store.get(res.headers.get("location")!.split("/").pop()!))!;
        await performer.acceptInvitation(upload.invitations[0]!.url!);
        const consent = await performer.consent(upload.invitations[0]!.slotId);
        if (consent.status !== 201) throw new Error(`consent: ${consent.status}`);
        uploads.push({ id: upload.id, sha256: upload.sha256, consentId: consent.body.consentId as string });
      }
      // The receipts arrive with publication.cleared.
      const last = uploads.at(-1)!;
      while ((await example.store.receiptsBySha256(last.sha256)).length === 0) await sleep(10);

      ctx.log("gate decisions: online, and offline with the server unreachable");
      const vergewis = new Vergewis({ apiKey, baseUrl: server.url });
      const online = createGate({ client: vergewis });
      const target = { fingerprint: { alg: "sha-256" as const, value: uploads[0]!.sha256 } };
      const jwks = (await (await fetch(`${server.url}/.well-known/jwks.json`)).json()) as { keys: [] };
      // A client whose server is down: every call fails at once, as a refused connection does.
      const down: GateClient = {
        check: () => Promise.reject(new VergewisConnectionError("down")),
        publications: { get: () => Promise.reject(new VergewisConnectionError("down")) },
      };
      const offline = createGate({
        client: down,
        offline: {
          receipts: (t) => ("fingerprint" in t ? example.store.receiptsBySha256(t.fingerprint.value) : []),
          jwks,
          issuer: server.url,
          statusLists: new StatusListCache(),
        },
      });
      if (!(await offline(target)).allowed || !(await online(target)).allowed) throw new Error("gate refused");
      const onlineRate = await throughput(seconds, 8, () => online(target));
      const offlineRate = await throughput(seconds, 8, () => offline(target));

      ctx.log(`${count} revocations, one after the other, until the platform has removed the file`);
      const samples: number[] = [];
      for (const { id, consentId } of uploads) {
        const options = await performer.api("POST", `/consents/${consentId}/revocation/options`);
        const response = performer.authenticator.authenticate(options.body.options);
        const start = performance.now();
        const res = await performer.api("POST", `/consents/${consentId}/revocation`, {
          document: options.body.document,
          response,
        });
        if (res.status !== 200) throw new Error(`revocation: ${res.status}`);
        while (!(await example.store.get(id))?.takenDownAt) await sleep(1);
        samples.push(performance.now() - start);
      }
      const sorted = [...samples].sort((a, b) => a - b);
      const p99 = percentile(sorted, 99);
      return [
        {
          name: "revocation → file deleted at the example platform p50",
          value: Number(median(samples).toFixed(2)),
          unit: "ms",
          samplesMs: samples,
        },
        {
          name: "revocation → file deleted at the example platform p99",
          value: Number(p99.toFixed(2)),
          unit: "ms",
          target: "< 1000 ms",
          pass: p99 < 1000,
        },
        { name: "gate: online decisions (POST /v1/check)", value: Math.round(onlineRate), unit: "req/s" },
        {
          name: "gate: offline decisions (receipts, cached status list)",
          value: Math.round(offlineRate),
          unit: "req/s",
          baseline: { name: "online", value: Math.round(onlineRate) },
          ratio: Number((offlineRate / onlineRate).toFixed(2)),
        },
      ];
    } finally {
      await example.close();
      await server.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  },
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

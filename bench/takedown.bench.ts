import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes, randomUUID } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { benchServerConfig } from "./lib/config.ts";
import { createDb } from "../packages/server/src/db/client.ts";
import { migrate } from "../packages/server/src/db/migrate/migrate.ts";
import { createLogger } from "../packages/server/src/log.ts";
import { createPlatform } from "../packages/server/src/platform/create.ts";
import { startServer } from "../packages/server/src/runtime/start.ts";
import { createEndpoint } from "../packages/server/src/webhook/endpoints.ts";
import { startPostgresCluster } from "../test/support/postgres-cluster.ts";
import { startReceiver } from "../test/support/receiver.ts";
import { TestPerformer } from "../test/support/performer.ts";
import { TestPlatform } from "../test/support/platform.ts";
import { freshIdentity } from "../test/support/portal.ts";
import type { TestServer } from "../test/support/server.ts";
import { median, percentile } from "./lib/load.ts";
import type { Benchmark, BenchContext, BenchResult } from "./lib/types.ts";
import { runTransaction } from "../packages/server/src/db/transaction.ts";

const CLI = new URL("../packages/server/dist/cli.js", import.meta.url).pathname;

/**
 * Issue 6: revocation → first webhook at a loopback receiver (p50, p99; target p99 < 1 s), and
 * webhook deliveries per second with two workers on one PostgreSQL (one worker as the baseline).
 */
export const takedownBenchmark: Benchmark = {
  name: "takedown",
  async run(ctx) {
    return [...(await revocationLatency(ctx)), ...(await deliveryThroughput(ctx))];
  },
};

/**
 * The performer's path, on embedded PGlite: each revocation is the portal's passkey-confirmed
 * `POST /portal/api/consents/{id}/revocation` (options fetched and the assertion made beforehand,
 * untimed); the clock runs from sending it to the first webhook for that publication at a
 * receiver on 127.0.0.1. One revocation at a time, so that each sample is a cold path.
 */
async function revocationLatency(ctx: BenchContext): Promise<BenchResult[]> {
  const count = ctx.quick ? 200 : 1000;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "vergewis-bench-takedown-"));
  const config = benchServerConfig(dataDir);
  ctx.log("starting a server on a new embedded PGlite");
  const server = (await startServer(config, { log: createLogger(config) })) as TestServer;
  const receiver = await startReceiver();
  try {
    const created = await createPlatform(server.ctx.db, { name: "Bench platform" });
    const platform = new TestPlatform(server, created.id, created.apiKey);
    const endpoint = await platform.request("POST", "/v1/webhook-endpoints", {
      url: receiver.url,
      eventTypes: ["takedown.requested", "consent.revoked"],
    });
    if (endpoint.status !== 201) throw new Error(`endpoint: ${endpoint.status}`);
    const performer = await new TestPerformer(server.url).onboard(freshIdentity("adult"));
    ctx.log(`${count} publications, each consented to with a passkey`);
    const consentIds: Array<{ consentId: string; publicationId: string }> = [];
    for (let i = 0; i < count; i++) {
      const publication = await platform.publish({ slots: [{ role: "uploader" }] });
      await performer.acceptInvitation(publication.invitations[0]!.url);
      const res = await performer.consent(publication.slots[0]!.id);
      if (res.status !== 201) throw new Error(`consent failed: ${res.status} ${JSON.stringify(res.body)}`);
      consentIds.push({ consentId: res.body.consentId, publicationId: publication.id });
    }

    const arrived = new Map<string, () => void>();
    receiver.behave((webhook) => {
      arrived.get((JSON.parse(webhook.body) as { data: { publicationId: string } }).data.publicationId)?.();
      return { status: 204 };
    });
    ctx.log(`${count} revocations, one after the other`);
    const samples: number[] = [];
    for (const { consentId, publicationId } of consentIds) {
      const options = await performer.api("POST", `/consents/${consentId}/revocation/options`);
      const response = performer.authenticator.authenticate(options.body.options);
      const first = new Promise<number>((resolve) => arrived.set(publicationId, () => resolve(performance.now())));
      const start = performance.now();
      const res = await performer.api("POST", `/consents/${consentId}/revocation`, {
        document: options.body.document,
        response,
      });
      if (res.status !== 200) throw new Error(`revocation failed: ${res.status} ${JSON.stringify(res.body)}`);
      samples.push((await first) - start);
      arrived.delete(publicationId);
    }
    const sorted = [...samples].sort((a, b) => a - b);
    const p99 = percentile(sorted, 99);
    return [
      {
        name: "revocation → first webhook p50 (pglite)",
        value: Number(median(samples).toFixed(2)),
        unit: "ms",
        samplesMs: samples,
      },
      {
        name: "revocation → first webhook p99 (pglite)",
        value: Number(p99.toFixed(2)),
        unit: "ms",
        target: "< 1000 ms",
        pass: p99 < 1000,
      },
    ];
  } finally {
    await server.close();
    await receiver.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

async function deliveryThroughput(ctx: BenchContext): Promise<BenchResult[]> {
  const events = ctx.quick ? 1000 : 5000;
  ctx.log("throwaway PostgreSQL cluster");
  const cluster = await startPostgresCluster();
  const receiver = await startReceiver();
  const bareReceiver = await startReceiver();
  const secret = randomBytes(32).toString("base64url");
  try {
    const admin = new pg.Client(cluster.adminUrl);
    await admin.connect();
    await admin.query("CREATE DATABASE bench");
    await admin.end();
    const url = new URL(cluster.adminUrl);
    url.pathname = "/bench";
    await migrate(url.toString());
    const db = createDb(url.toString(), 5);
    try {
      const platform = await createPlatform(db, { name: "Bench" });
      const endpoint = await runTransaction(db, (tx, effects) =>
        createEndpoint(
          tx,
          effects,
          { serverSecret: Buffer.from(secret, "utf8"), allowLoopbackHttp: true, allowPrivateNetworks: true },
          platform.id,
          {
            url: receiver.url,
          },
        ),
      );
      const rate = async (workers: number) => {
        const processes = await Promise.all(Array.from({ length: workers }, () => startWorker(url.toString(), secret)));
        try {
          const before = receiver.received.length;
          const done = new Promise<number>((resolve) => {
            receiver.behave((_w, n) => {
              if (n === before + events) resolve(performance.now());
              return { status: 204 };
            });
          });
          ctx.log(`${events} events, ${workers} worker${workers > 1 ? "s" : ""}`);
          // All events become visible in one commit (written in bulk: what is measured is the
          // sending), and the clock starts then.
          await runTransaction(db, async (tx, effects) => {
            await tx.$executeRaw`
              INSERT INTO "OutboxMessage" (id, "platformId", type, payload)
              SELECT gen_random_uuid(), ${platform.id}::uuid, 'takedown.requested', jsonb_build_object(
                'takedownId', gen_random_uuid(), 'publicationId', gen_random_uuid(), 'externalId', 'video-' || n,
                'reason', 'revocation', 'requestedAt', to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
                'dueAt', to_char((now() + interval '1 day') AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))
              FROM generate_series(1, ${events}) AS n`;
            await tx.$executeRaw`
              INSERT INTO "WebhookDelivery" (id, "messageId", "endpointId", "platformId")
              SELECT gen_random_uuid(), m.id, ${endpoint.id}::uuid, m."platformId"
              FROM "OutboxMessage" m
              WHERE m."platformId" = ${platform.id}::uuid
                AND NOT EXISTS (SELECT 1 FROM "WebhookDelivery" d WHERE d."messageId" = m.id)`;
            await tx.$executeRaw`SELECT pg_notify('vergewis_outbox', '')`;
          });
          const start = performance.now();
          const end = await done;
          return events / ((end - start) / 1000);
        } finally {
          await Promise.all(processes.map((p) => stop(p)));
        }
      };
      // Alternating rounds, median of each: the machine's load changes during the run.
      const rounds = ctx.quick ? 1 : 3;
      const ones: number[] = [];
      const twos: number[] = [];
      const bares: number[] = [];
      for (let round = 0; round < rounds; round++) {
        ones.push(await rate(1));
        twos.push(await rate(2));
        ctx.log(`${events} bare HTTP POSTs, ${WORKER_CONCURRENCY} in flight`);
        bares.push(await barePosts(bareReceiver.url, events));
      }
      const [one, two, bare] = [median(ones), median(twos), median(bares)];
      const unique = receiver.unique().size;
      if (unique !== events * 2 * rounds) throw new Error(`expected ${events * 2 * rounds} webhooks, got ${unique}`);
      if (receiver.received.length !== unique)
        throw new Error(`${receiver.received.length - unique} duplicate deliveries`);
      return [
        {
          name: "webhook deliveries/s, one worker (postgresql)",
          value: Math.round(one),
          unit: "deliveries/s",
          baseline: { name: `bare HTTP POST, ${WORKER_CONCURRENCY} in flight`, value: Math.round(bare) },
          ratio: one / bare,
        },
        {
          name: "webhook deliveries/s, two workers (postgresql)",
          value: Math.round(two),
          unit: "deliveries/s",
          baseline: { name: "one worker", value: Math.round(one) },
          ratio: two / one,
        },
      ];
    } finally {
      await db.$disconnect();
    }
  } finally {
    await receiver.close();
    await bareReceiver.close();
    cluster.stop();
  }
}

/** Deliveries a worker keeps in flight (`worker.concurrency`'s default). */
const WORKER_CONCURRENCY = 16;

/**
 * The baseline of webhook delivery: plain POSTs of a webhook-sized JSON body with Standard Webhooks
 * headers (a fixed signature, nothing computed), from this process to a receiver like the workers',
 * as many in flight as one worker keeps. Nothing read from or written to a database.
 */
async function barePosts(url: string, count: number): Promise<number> {
  const body = JSON.stringify({
    type: "takedown.requested",
    timestamp: new Date().toISOString(),
    data: {
      takedownId: randomUUID(),
      publicationId: randomUUID(),
      externalId: "video-1",
      reason: "revocation",
      requestedAt: new Date().toISOString(),
      dueAt: new Date(Date.now() + 86_400_000).toISOString(),
    },
  });
  let sent = 0;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: WORKER_CONCURRENCY }, async () => {
      while (sent++ < count) {
        const res = await fetch(url, {
          method: "POST",
          headers: {
            "content-type": "application/json",
            "webhook-id": `msg_${randomUUID()}`,
            "webhook-timestamp": String(Math.floor(Date.now() / 1000)),
            "webhook-signature": `v1,${randomBytes(32).toString("base64")}`,
          },
          body,
        });
        await res.arrayBuffer();
        if (!res.ok) throw new Error(`bare POST answered ${res.status}`);
      }
    }),
  );
  return count / ((performance.now() - start) / 1000);
}

/** `vergewis worker` from the build, ready when it says so. */
async function startWorker(databaseUrl: string, secret: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, [CLI, "worker"], {
    env: {
      ...process.env,
      NODE_ENV: "development",
      DATABASE_URL: databaseUrl,
      VERGEWIS_SECRET: secret,
      LOG_LEVEL: "warn",
    },
    stdio: ["ignore", "pipe", "inherit"],
  });
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on("data", (chunk: Buffer) => {
      if (chunk.toString().includes("worker running")) resolve();
    });
    child.once("exit", (code) => reject(new Error(`vergewis worker exited with ${code}`)));
  });
  return child;
}

const stop = (child: ChildProcess) =>
  new Promise<void>((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.once("exit", () => resolve());
    child.kill("SIGTERM");
  });

import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { eventually, startReceiver, type Receiver } from "../support/receiver.ts";
import { spawnServer, type ServerProcess } from "../support/server-process.ts";
import { startTestServer, type TestServer } from "../support/server.ts";
import {
  clearedPublication,
  expectNothingLost,
  revoke,
  subscribe,
  type PublishedContent,
} from "../support/takedown.ts";

// Several instances on one PostgreSQL (PGlite has one session, so this runs on PostgreSQL only),
// sharing the server secret as every instance of a deployment must.
const config = { secret: randomBytes(32).toString("base64url"), worker: { pollInterval: "50ms", concurrency: 4 } };
let a: TestServer;
let b: TestServer;
const receivers: Receiver[] = [];
const processes: ServerProcess[] = [];

beforeAll(async () => {
  a = await startTestServer(config);
  b = await startTestServer(config, { shareDatabaseWith: a });
});
afterAll(async () => {
  await Promise.all(processes.map((p) => p.kill()));
  await b?.close();
  await a?.close();
  await Promise.all(receivers.map((r) => r.close()));
});

const deliveredBy = (server: TestServer, platformId: string, eventIds: Set<string>) =>
  server.logs.filter(
    (l) => l.msg === "webhook delivery" && l.status === "delivered" && eventIds.has(l.eventId as string),
  ).length;

// Enough messages to keep both instances claiming at once (the benchmark runs a thousand).
const COUNT = 40;

describe("several instances, one PostgreSQL", () => {
  test("two instances deliver each message exactly once", async () => {
    const rx = await startReceiver();
    receivers.push(rx);
    // A little latency keeps many deliveries in flight on both instances at once.
    rx.behave(() => ({ status: 204, delayMs: Math.floor(Math.random() * 20) }));
    const { apiKey, id: platformId } = await a.createPlatform("Shared");
    const { secret } = await subscribe(a.url, apiKey, rx);
    const contents: PublishedContent[] = [];
    for (let i = 0; i < COUNT; i++) contents.push(await clearedPublication(a.url, a.ctx.db, apiKey));
    // Revocations through both instances' connections, as two load-balanced servers would see them.
    await Promise.all(contents.map((c, i) => revoke((i % 2 ? b : a).ctx.db, c.id)));

    await eventually(
      async () =>
        (await a.ctx.db.webhookDelivery.count({ where: { platformId, status: "delivered" } })) === COUNT
          ? true
          : undefined,
      60_000,
      `${COUNT} deliveries`,
    );
    const duplicates = rx.received.length - rx.unique().size;
    expect(duplicates, "webhooks received twice").toBe(0);
    expect(rx.unique().size).toBe(COUNT);
    rx.verifyAll(secret);
    expect(await expectNothingLost(a.ctx.db, [rx], { platformId })).toEqual({
      delivered: COUNT,
      dead: 0,
      total: COUNT,
    });
    const ids = new Set(rx.unique().keys());
    const [byA, byB] = [deliveredBy(a, platformId, ids), deliveredBy(b, platformId, ids)];
    expect(byA + byB, `delivered by a: ${byA}, by b: ${byB}`).toBe(COUNT);
    expect(byA, "deliveries by instance a").toBeGreaterThan(0);
    expect(byB, "deliveries by instance b").toBeGreaterThan(0);
  }, 120_000);

  test("`vergewis worker` delivers for instances started with the worker off", async () => {
    // A database of its own, served by no in-process worker: only the worker process can deliver.
    const quiet = await startTestServer({ worker: { enabled: false } });
    try {
      const rx = await startReceiver();
      receivers.push(rx);
      const env = {
        DATABASE_URL: quiet.databaseUrl,
        VERGEWIS_SECRET: quiet.ctx.config.secret!,
        VERGEWIS_WORKER_POLL_INTERVAL: "100ms",
      };
      const api = await spawnServer({ ...env, VERGEWIS_WORKER: "false" });
      processes.push(api);
      const { apiKey, id: platformId } = await quiet.createPlatform("Split roles");
      const { secret } = await subscribe(api.url, apiKey, rx);
      const content = await clearedPublication(api.url, quiet.ctx.db, apiKey);
      await revoke(quiet.ctx.db, content.id);
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(rx.received).toHaveLength(0);

      const worker = await spawnServer(env, "worker");
      processes.push(worker);
      await rx.waitFor((r) => r.received.length === 1, 20_000, "the worker's delivery");
      rx.verifyAll(secret);
      await eventually(async () =>
        (await quiet.ctx.db.webhookDelivery.count({ where: { platformId, status: "delivered" } })) === 1
          ? true
          : undefined,
      );
      await worker.stop();
      await api.stop();
    } finally {
      await quiet.close();
    }
  }, 120_000);
});

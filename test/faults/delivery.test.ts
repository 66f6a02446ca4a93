import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { loadConfig } from "../../packages/server/src/config/load.ts";
import { createLogger } from "../../packages/server/src/log.ts";
import { createPlatform } from "../../packages/server/src/platform/create.ts";
import { startServer, type RunningServer } from "../../packages/server/src/runtime/start.ts";
import { eventually, startReceiver, type Receiver } from "../support/receiver.ts";
import { startRestartableDatabase, type RestartableDatabase } from "../support/restartable-database.ts";
import {
  clearedPublication,
  expectNothingLost,
  revoke,
  subscribe,
  type PublishedContent,
} from "../support/takedown.ts";

// Faults between the outbox and a real receiver on 127.0.0.1, against a real database. Every test
// ends with the outbox invariant: each event generated was delivered or dead-lettered, none lost.
let database: RestartableDatabase;
let server: RunningServer;
const receivers: Receiver[] = [];

beforeAll(async () => {
  database = await startRestartableDatabase();
  const config = loadConfig(
    {},
    {
      mode: "test",
      dataDir: "/nonexistent",
      secret: randomBytes(32).toString("base64url"),
      logLevel: "silent",
      http: { host: "127.0.0.1", port: 0 },
      worker: { pollInterval: "50ms" },
      webhooks: { timeout: "500ms", retryInitialDelay: "100ms", retryMaxDelay: "500ms", retryWindow: "1h" },
    },
  );
  server = await startServer(config, { database: database.handle, migrate: false, log: createLogger(config) });
});
afterAll(async () => {
  await server?.close();
  await database?.close();
  await Promise.all(receivers.map((r) => r.close()));
});

async function scenario(events: number) {
  const { apiKey, id: platformId } = await createPlatform(server.ctx.db, { name: "Faulty" });
  const rx = await startReceiver();
  receivers.push(rx);
  const { secret } = await subscribe(server.url, apiKey, rx);
  const contents: PublishedContent[] = [];
  for (let i = 0; i < events; i++) contents.push(await clearedPublication(server.url, server.ctx.db, apiKey));
  const revokeAll = async (from = 0, to = contents.length) => {
    for (const content of contents.slice(from, to)) await revoke(server.ctx.db, content.id);
  };
  const settled = (total: number) =>
    eventually(
      async () => {
        const rows = await server.ctx.db.webhookDelivery.findMany({ where: { platformId }, select: { status: true } });
        return rows.length === total && rows.every((r) => r.status === "delivered") ? rows : undefined;
      },
      30_000,
      `${total} delivered`,
    );
  const invariant = async (total: number) => {
    const counts = await expectNothingLost(server.ctx.db, [rx], { platformId });
    expect(counts).toEqual({ delivered: total, dead: 0, total });
    expect(await server.ctx.db.outboxMessage.count({ where: { platformId } })).toBe(total);
    expect(rx.unique().size).toBe(total);
    rx.verifyAll(secret);
  };
  return { platformId, rx, contents, revokeAll, settled, invariant };
}

describe("webhook delivery under faults", () => {
  test("receiver down, then up: everything is delivered once it is back", async () => {
    const s = await scenario(5);
    await s.rx.stop();
    await s.revokeAll();
    const failed = await eventually(async () => {
      const attempts = await server.ctx.db.webhookAttempt.findMany({
        where: { delivery: { platformId: s.platformId } },
        select: { error: true },
      });
      return attempts.length >= 5 ? attempts : undefined;
    });
    expect(failed.every((a) => a.error === "connection refused")).toBe(true);
    await s.rx.start();
    await s.settled(5);
    await s.invariant(5);
  });

  test("slow receiver: the attempt times out and is retried", async () => {
    const s = await scenario(3);
    s.rx.behave((_w, n) => (n <= 3 ? { status: 200, delayMs: 2_000 } : { status: 200 }));
    await s.revokeAll();
    await s.settled(3);
    const attempts = await server.ctx.db.webhookAttempt.findMany({ where: { delivery: { platformId: s.platformId } } });
    expect(attempts.filter((a) => a.error === "no response within 500 ms")).toHaveLength(3);
    // The slow answers arrived after the timeout: the receiver saw each event twice, one id each.
    expect(s.rx.received).toHaveLength(6);
    await s.invariant(3);
  });

  test("500 then 200", async () => {
    const s = await scenario(4);
    const seen = new Set<string>();
    s.rx.behave((w) => {
      if (seen.has(w.id)) return { status: 200 };
      seen.add(w.id);
      return { status: 500 };
    });
    await s.revokeAll();
    await s.settled(4);
    const attempts = await server.ctx.db.webhookAttempt.findMany({
      where: { delivery: { platformId: s.platformId } },
      orderBy: { id: "asc" },
    });
    expect(attempts.map((a) => a.responseStatus).sort()).toEqual([200, 200, 200, 200, 500, 500, 500, 500]);
    await s.invariant(4);
  });

  test("database restart during delivery: nothing lost, and delivery resumes", async () => {
    const s = await scenario(8);
    // Answers slowly, so that the database goes away while sends are in flight: their outcomes
    // cannot be recorded until it is back.
    s.rx.behave(() => ({ status: 204, delayMs: 300 }));
    await s.revokeAll(0, 5);
    await s.rx.waitFor((r) => r.received.length >= 1, 10_000, "a delivery in flight");
    const unrecorded = await server.ctx.db.webhookDelivery.count({
      where: { platformId: s.platformId, status: { not: "delivered" } },
    });
    expect(unrecorded).toBeGreaterThan(0);
    await database.shutdown();
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    await database.start();
    await s.settled(5);
    // The pool and the outbox listener reconnected: new events go out as before.
    await s.revokeAll(5, 8);
    await s.settled(8);
    await s.invariant(8);
  });
});

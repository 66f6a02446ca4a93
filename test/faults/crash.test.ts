import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, expect, test } from "vitest";
import { createDb, type Db } from "../../packages/server/src/db/client.ts";
import { createPlatform } from "../../packages/server/src/platform/create.ts";
import { databaseKind } from "../support/database.ts";
import { eventually, startReceiver, type Receiver } from "../support/receiver.ts";
import { startRestartableDatabase, type RestartableDatabase } from "../support/restartable-database.ts";
import { spawnServer, type ServerProcess } from "../support/server-process.ts";
import {
  clearedPublication,
  expectNothingLost,
  revoke,
  subscribe,
  type PublishedContent,
} from "../support/takedown.ts";

let database: RestartableDatabase;
let db: Db;
let rx: Receiver;
const processes: ServerProcess[] = [];

beforeAll(async () => {
  database = await startRestartableDatabase();
  db = createDb(database.handle.url, 1);
  rx = await startReceiver();
});
afterAll(async () => {
  await Promise.all(processes.map((p) => p.kill()));
  await db?.$disconnect();
  await database?.close();
  await rx?.close();
});

const env = {
  DATABASE_URL: "",
  VERGEWIS_DATABASE_POOL_SIZE: databaseKind() === "postgres" ? "5" : "1",
  VERGEWIS_SECRET: randomBytes(32).toString("base64url"),
  VERGEWIS_WORKER_POLL_INTERVAL: "100ms",
  // The lease on a claimed delivery is twice the timeout plus 5 s: 7 s here.
  VERGEWIS_WEBHOOK_TIMEOUT: "1s",
  VERGEWIS_WEBHOOK_RETRY_INITIAL_DELAY: "100ms",
};

test("server killed between sending and recording: redelivered with the same webhook-id", async () => {
  env.DATABASE_URL = database.handle.url;
  const first = await spawnServer(env);
  processes.push(first);
  const { apiKey, id: platformId } = await createPlatform(db, { name: "Crashy" });
  const { secret } = await subscribe(first.url, apiKey, rx);
  // The receiver takes each webhook in (and would process it) but holds the answer: the server is
  // killed while it waits, so it never records the outcome.
  rx.behave(() => ({ hang: true }));
  const contents: PublishedContent[] = [];
  for (let i = 0; i < 3; i++) contents.push(await clearedPublication(first.url, db, apiKey));
  for (const content of contents) await revoke(db, content.id);
  await rx.waitFor((r) => r.unique().size === 3, 20_000, "three webhooks in flight");
  await first.kill();
  const firstIds = [...rx.unique().keys()].sort();
  expect(await db.webhookDelivery.count({ where: { platformId, status: "delivered" } })).toBe(0);

  rx.behave(() => ({ status: 204 }));
  const second = await spawnServer(env);
  processes.push(second);
  await eventually(
    async () =>
      (await db.webhookDelivery.count({ where: { platformId, status: "delivered" } })) === 3 ? true : undefined,
    30_000,
    "the redeliveries after the lease ran out",
  );
  // Each event came twice under one webhook-id: a receiver that de-duplicates processes it once.
  expect(rx.received).toHaveLength(6);
  expect([...rx.unique().keys()].sort()).toEqual(firstIds);
  for (const id of firstIds) expect(rx.received.filter((w) => w.id === id)).toHaveLength(2);
  rx.verifyAll(secret);
  const deliveries = await db.webhookDelivery.findMany({ where: { platformId } });
  expect(deliveries.map((d) => d.attempts)).toEqual([2, 2, 2]);
  expect(await expectNothingLost(db, [rx], { platformId })).toEqual({ delivered: 3, dead: 0, total: 3 });
  await second.stop();
}, 120_000);

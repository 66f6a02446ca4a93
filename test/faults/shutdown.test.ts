import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, expect, test } from "vitest";
import { loadConfig } from "../../packages/server/src/config/load.ts";
import { createDb } from "../../packages/server/src/db/client.ts";
import { createLogger } from "../../packages/server/src/log.ts";
import { createPlatform } from "../../packages/server/src/platform/create.ts";
import { startServer } from "../../packages/server/src/runtime/start.ts";
import { startReceiver, type Receiver } from "../support/receiver.ts";
import { startRestartableDatabase, type RestartableDatabase } from "../support/restartable-database.ts";
import { clearedPublication, revoke, subscribe } from "../support/takedown.ts";

let database: RestartableDatabase;
let rx: Receiver;

beforeAll(async () => {
  database = await startRestartableDatabase();
  rx = await startReceiver();
});
afterAll(async () => {
  await database?.close();
  await rx?.close();
});

test("a graceful shutdown lets in-flight deliveries finish and records them", async () => {
  const config = loadConfig(
    {},
    {
      mode: "test",
      dataDir: "/nonexistent",
      secret: randomBytes(32).toString("base64url"),
      logLevel: "silent",
      http: { host: "127.0.0.1", port: 0 },
      worker: { pollInterval: "50ms" },
    },
  );
  const server = await startServer(config, { database: database.handle, migrate: false, log: createLogger(config) });
  const { apiKey, id: platformId } = await createPlatform(server.ctx.db, { name: "Leaving" });
  await subscribe(server.url, apiKey, rx);
  rx.behave(() => ({ status: 204, delayMs: 1_000 }));
  const content = await clearedPublication(server.url, server.ctx.db, apiKey);
  await revoke(server.ctx.db, content.id);
  await rx.waitFor((r) => r.received.length === 1, 10_000, "the delivery in flight");
  await server.close();

  const db = createDb(database.handle.url, 1);
  try {
    const [delivery] = await db.webhookDelivery.findMany({ where: { platformId } });
    expect(delivery).toMatchObject({ status: "delivered", attempts: 1, lastResponseStatus: 204 });
  } finally {
    await db.$disconnect();
  }
});

// A network partition leaves an established database connection silent, not closed: a request
// that reuses it must still be answered (503), not held until TCP gives up minutes later.
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, expect, test } from "vitest";
import { loadConfig } from "../../packages/server/src/config/load.ts";
import { createDb, type Db } from "../../packages/server/src/db/client.ts";
import { createPlatform } from "../../packages/server/src/platform/create.ts";
import { startServer, type RunningServer } from "../../packages/server/src/runtime/start.ts";
import { createTestDatabase } from "../support/database.ts";
import { bearer } from "../support/fixtures.ts";
import { startTcpProxy, type TcpProxy } from "../support/tcp-proxy.ts";

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let proxy: TcpProxy;
let server: RunningServer;
let db: Db;

beforeAll(async () => {
  database = await createTestDatabase();
  const direct = new URL(database.url);
  proxy = await startTcpProxy({ host: direct.hostname, port: Number(direct.port) });
  const viaProxy = new URL(database.url);
  viaProxy.host = `${proxy.host}:${proxy.port}`;
  const config = loadConfig(
    {},
    {
      mode: "test",
      dataDir: "/nonexistent",
      secret: randomBytes(32).toString("base64url"),
      logLevel: "silent",
      http: { host: "127.0.0.1", port: 0 },
      worker: { enabled: false },
    },
  );
  // One connection, so the request after the partition surely reuses the established one.
  const handle = { url: viaProxy.toString(), poolSize: 1, embedded: false, close: async () => {} };
  server = await startServer(config, { database: handle, migrate: false });
  db = createDb(database.url, 1);
});
afterAll(async () => {
  proxy?.thaw();
  await server?.close();
  await db?.$disconnect();
  await proxy?.close();
  await database?.close();
});

test("a request on a connection silenced by a partition gets 503 problem+json", async () => {
  const { apiKey } = await createPlatform(db, { name: "Partitioned" });
  const list = () =>
    fetch(`${server.url}/v1/publications`, { headers: bearer(apiKey), signal: AbortSignal.timeout(30_000) });
  expect((await list()).status).toBe(200);
  proxy.freeze();
  const response = await list();
  expect(response.status).toBe(503);
  expect(response.headers.get("content-type")).toMatch(/^application\/problem\+json/);
  expect(((await response.json()) as { code: string }).code).toBe("database_unavailable");
  proxy.thaw();
}, 60_000);

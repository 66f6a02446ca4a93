import fs from "node:fs";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import pg from "pg";
import { inject } from "vitest";
import { migrate } from "../../packages/server/src/db/migrate/migrate.ts";
import { serveWireProtocol, type WireServer } from "../../packages/server/src/db/embedded/wire-protocol.ts";
import type { DatabaseHandle } from "../../packages/server/src/runtime/database.ts";
import { databaseKind } from "./database.ts";
import { startPostgresCluster } from "./postgres-cluster.ts";

export interface RestartableDatabase {
  /** For the server under test: it cannot tell this database from a configured PostgreSQL. */
  handle: DatabaseHandle;
  /** Takes the database away (connections are cut); the data stays. */
  shutdown(): Promise<void>;
  /** Brings it back at the same address. */
  start(): Promise<void>;
  close(): Promise<void>;
}

/**
 * A database that a test can stop and start under a running server: a PostgreSQL cluster of the
 * test's own (restarting the shared one would disturb other suites), or PGlite persisted in a
 * directory and served on a fixed port.
 */
export async function startRestartableDatabase(): Promise<RestartableDatabase> {
  if (databaseKind() === "postgres") {
    const cluster = await startPostgresCluster();
    const admin = new pg.Client(cluster.adminUrl);
    await admin.connect();
    await admin.query("CREATE DATABASE app");
    await admin.end();
    const url = new URL(cluster.adminUrl);
    url.pathname = "/app";
    await migrate(url.toString());
    return {
      handle: { url: url.toString(), poolSize: 5, embedded: false, close: async () => {} },
      shutdown: async () => cluster.shutdown(),
      start: async () => cluster.start(),
      close: async () => cluster.stop(),
    };
  }
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "vergewis-pglite-restart-"));
  const snapshot = new Blob([fs.readFileSync(inject("pgliteSnapshot"))]);
  let db: PGlite | undefined = await PGlite.create({ dataDir, loadDataDir: snapshot });
  let port = 0;
  let server: WireServer | undefined;
  const listen = async () => {
    server = await serveWireProtocol(db!, { host: "127.0.0.1", port });
    port = (server.address as AddressInfo).port;
  };
  await listen();
  const shutdown = async () => {
    await server?.close();
    await db?.close();
    server = undefined;
    db = undefined;
  };
  return {
    // The server treats it as an external database: one connection, like the embedded one.
    handle: {
      url: `postgresql://postgres@127.0.0.1:${port}/postgres`,
      poolSize: 1,
      embedded: false,
      close: async () => {},
    },
    shutdown,
    async start() {
      db = await PGlite.create({ dataDir });
      await listen();
    },
    async close() {
      await shutdown();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

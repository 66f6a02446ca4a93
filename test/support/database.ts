import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import pg from "pg";
import { afterAll, beforeAll, inject } from "vitest";
import { createDb, type Db } from "../../packages/server/src/db/client.ts";
import { startEmbeddedDatabase } from "../../packages/server/src/db/embedded/start.ts";
import type { DatabaseHandle } from "../../packages/server/src/runtime/database.ts";

export type DatabaseKind = "pglite" | "postgres";

/** Which database this test project runs on (vitest.config.ts sets it per project). */
export const databaseKind = (): DatabaseKind => (process.env.VERGEWIS_TEST_DB === "postgres" ? "postgres" : "pglite");

/** A fresh, migrated database for one test file. */
export async function createTestDatabase(options: { empty?: boolean } = {}): Promise<DatabaseHandle> {
  if (databaseKind() === "postgres") {
    const adminUrl = inject("postgresAdminUrl");
    const name = `test_${randomBytes(8).toString("hex")}`;
    await adminQuery(adminUrl, `CREATE DATABASE ${name}${options.empty ? "" : " TEMPLATE vergewis_template"}`);
    const url = new URL(adminUrl);
    url.pathname = `/${name}`;
    return {
      url: url.toString(),
      poolSize: 5,
      embedded: false,
      close: () => adminQuery(adminUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
    };
  }
  const snapshot = new Blob([fs.readFileSync(inject(options.empty ? "pgliteEmptySnapshot" : "pgliteSnapshot"))]);
  const embedded = await startEmbeddedDatabase({ loadDataDir: snapshot });
  return { url: embedded.url, poolSize: 1, embedded: true, close: embedded.stop };
}

/**
 * A fresh, migrated database and a client of it for the test file that calls this at its top
 * level: made before its tests, closed after them.
 */
export function useTestDb(): { readonly db: Db; readonly database: DatabaseHandle } {
  let database: DatabaseHandle | undefined;
  let db: Db | undefined;
  beforeAll(async () => {
    database = await createTestDatabase();
    db = createDb(database.url, database.poolSize);
  });
  afterAll(async () => {
    await db?.$disconnect();
    await database?.close();
  });
  return {
    get db() {
      return db!;
    },
    get database() {
      return database!;
    },
  };
}

async function adminQuery(url: string, sql: string): Promise<void> {
  const client = new pg.Client(url);
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/**
 * Makes `<dataDir>/pgdata` a migrated embedded database, as `vergewis start` would on first run
 * but from the run's snapshot (seconds instead of initdb and every migration).
 */
export async function seedEmbeddedDataDir(dataDir: string): Promise<void> {
  const snapshot = new Blob([fs.readFileSync(inject("pgliteSnapshot"))]);
  fs.mkdirSync(path.join(dataDir, "pgdata"), { recursive: true, mode: 0o700 });
  const db = await PGlite.create({ dataDir: path.join(dataDir, "pgdata"), loadDataDir: snapshot });
  await db.close();
}

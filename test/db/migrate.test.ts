import pg from "pg";
import { afterEach, describe, expect, test } from "vitest";
import { startEmbeddedDatabase } from "../../packages/server/src/db/embedded/start.ts";
import { MigrationDriftError } from "../../packages/server/src/errors.ts";
import { migrate, schemaDiff } from "../../packages/server/src/db/migrate/migrate.ts";
import { readRepoMigrations } from "../../packages/server/src/db/migrate/engine.ts";
import { prismaDir } from "../../packages/server/src/db/migrate/paths.ts";
import type { DatabaseHandle } from "../../packages/server/src/runtime/database.ts";
import { createTestDatabase, databaseKind } from "../support/database.ts";

const opened: DatabaseHandle[] = [];
afterEach(async () => {
  for (const db of opened.splice(0)) await db.close();
});

async function emptyDatabase() {
  const db = await createTestDatabase({ empty: true });
  opened.push(db);
  return db;
}

async function sql(url: string, text: string, params: unknown[] = []) {
  const client = new pg.Client(url);
  await client.connect();
  try {
    return (await client.query(text, params)).rows;
  } finally {
    await client.end();
  }
}

const repoMigrations = () => readRepoMigrations(`${prismaDir()}/migrations`).map((m) => m.name);

describe("vergewis migrate", () => {
  test("applies every migration to an empty database, then nothing (idempotent)", async () => {
    const db = await emptyDatabase();
    expect(await migrate(db.url)).toEqual(repoMigrations());
    expect(await migrate(db.url)).toEqual([]);
    const tables = await sql(db.url, "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'");
    expect(tables.map((t) => t.table_name)).toEqual(expect.arrayContaining(["Platform", "Publication", "AuditEvent"]));
  });

  test("refuses a database that has a migration the repository does not know", async () => {
    const db = await emptyDatabase();
    await migrate(db.url);
    await sql(
      db.url,
      `INSERT INTO _prisma_migrations (id, checksum, migration_name, started_at, finished_at, applied_steps_count)
       VALUES ('x', 'abc', '29990101000000_from_the_future', now(), now(), 1)`,
    );
    const error = await migrate(db.url).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MigrationDriftError);
    expect((error as Error).message).toMatch(/29990101000000_from_the_future.*does not know/);
  });

  test("refuses a database where an applied migration had other contents", async () => {
    const db = await emptyDatabase();
    await migrate(db.url);
    const [first] = repoMigrations();
    await sql(db.url, "UPDATE _prisma_migrations SET checksum = $1 WHERE migration_name = $2", ["0".repeat(64), first]);
    await expect(migrate(db.url)).rejects.toThrow(new RegExp(`${first}.*different contents`));
  });

  test("refuses a database where a migration failed part-way", async () => {
    const db = await emptyDatabase();
    await migrate(db.url);
    const [first] = repoMigrations();
    await sql(db.url, "UPDATE _prisma_migrations SET finished_at = NULL WHERE migration_name = $1", [first]);
    await expect(migrate(db.url)).rejects.toThrow(/failed part-way/);
  });

  test("prisma/schema.prisma and prisma/migrations agree (no missing migration)", async () => {
    const db = await emptyDatabase();
    const shadow =
      databaseKind() === "pglite"
        ? async () => {
            const s = await startEmbeddedDatabase();
            return { url: s.url, cleanup: s.stop };
          }
        : undefined;
    expect(await schemaDiff(db.url, shadow ? { shadow } : {})).toBe("");
  });
});

import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import pg from "pg";
import { MigrationDriftError } from "../../errors.ts";
import { CONNECT_TIMEOUT_MS, migrationAdapterFactory, type ShadowFactory } from "./adapter.ts";
import { migrationList, noFilters, readRepoMigrations, withSchemaEngine, type RepoMigration } from "./engine.ts";
import { prismaDir } from "./paths.ts";

export interface MigrateOptions {
  /** Folder holding `schema.prisma` and `migrations/`. */
  dir?: string;
}

interface AppliedRow {
  migration_name: string;
  checksum: string;
  finished_at: Date | null;
  rolled_back_at: Date | null;
}

/** Prisma records SHA-256 (hex) of each migration script in `_prisma_migrations.checksum`. */
const checksum = (sql: string) => createHash("sha256").update(sql).digest("hex");

/**
 * Applies pending migrations, the way `prisma migrate deploy` does. Idempotent. Refuses a database
 * whose history differs from the repository's (unknown, edited or failed migrations): applying
 * on top of such a database could silently damage it.
 */
export async function migrate(url: string, options: MigrateOptions = {}): Promise<string[]> {
  const dir = options.dir ?? prismaDir();
  const migrationsDir = path.join(dir, "migrations");
  const repo = readRepoMigrations(migrationsDir);
  const applied = await appliedMigrations(url, repo);
  // Nothing pending: skip the schema engine, whose wasm would stay in memory for the process's life.
  if (repo.every((m) => applied.has(m.name))) return [];
  const schemaPath = path.join(dir, "schema.prisma");
  const schema = { path: schemaPath, text: fs.readFileSync(schemaPath, "utf8") };
  return withSchemaEngine(migrationAdapterFactory(url), schema, async (engine) => {
    const { appliedMigrationNames } = await engine.applyMigrations({
      migrationsList: migrationList(migrationsDir),
      filters: noFilters,
    });
    return appliedMigrationNames;
  });
}

/** The names of the applied migrations, after checking that they are the repository's. */
async function appliedMigrations(url: string, repo: RepoMigration[]): Promise<Set<string>> {
  // Bounded: a database that accepts the connection and never answers must fail the start, not
  // hold it (these two queries are tiny; migrations themselves may take long and are not bounded).
  const client = new pg.Client({
    connectionString: url,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    query_timeout: 30_000,
  });
  await client.connect();
  let applied: AppliedRow[];
  try {
    const { rows } = await client.query<{ exists: boolean }>(
      "SELECT to_regclass('public._prisma_migrations') IS NOT NULL AS exists",
    );
    if (!rows[0]?.exists) return new Set();
    applied = (
      await client.query<AppliedRow>(
        "SELECT migration_name, checksum, finished_at, rolled_back_at FROM _prisma_migrations ORDER BY started_at",
      )
    ).rows;
  } finally {
    await client.end();
  }
  const known = new Map(repo.map((m) => [m.name, checksum(m.sql)]));
  for (const row of applied) {
    if (row.rolled_back_at) continue;
    const expected = known.get(row.migration_name);
    if (expected === undefined) {
      throw new MigrationDriftError(
        `the database has migration "${row.migration_name}", which this version of Vergewis does not know. ` +
          "It was probably migrated by a newer version: run that version, or restore a backup.",
      );
    }
    if (expected !== row.checksum) {
      throw new MigrationDriftError(
        `migration "${row.migration_name}" was applied with different contents than the repository's ` +
          "prisma/migrations holds. Restore the original migration file; never edit an applied migration.",
      );
    }
    if (!row.finished_at) {
      throw new MigrationDriftError(
        `migration "${row.migration_name}" failed part-way in an earlier run. Repair the database by hand, ` +
          "then mark the migration as rolled back in _prisma_migrations.",
      );
    }
  }
  return new Set(applied.filter((row) => !row.rolled_back_at).map((row) => row.migration_name));
}

/**
 * The SQL that takes a database from the repository's migrations to the current schema, computed
 * on a throwaway shadow database; empty when they agree.
 */
export async function schemaDiff(
  url: string,
  options: MigrateOptions & { shadow?: ShadowFactory } = {},
): Promise<string> {
  const dir = options.dir ?? prismaDir();
  const schemaPath = path.join(dir, "schema.prisma");
  const schema = { path: schemaPath, text: fs.readFileSync(schemaPath, "utf8") };
  return withSchemaEngine(migrationAdapterFactory(url, options.shadow), schema, async (engine) => {
    const list = migrationList(path.join(dir, "migrations"));
    const { stdout } = await engine.diff({
      from: list.migrationDirectories.length ? { tag: "migrations", ...list } : { tag: "empty" },
      to: { tag: "schemaDatamodel", files: [{ path: schema.path, content: schema.text }] },
      script: true,
      exitCode: null,
      filters: noFilters,
    });
    return !stdout?.trim() || stdout.includes("-- This is an empty migration.") ? "" : stdout;
  });
}

/** Writes the next migration (for developers); returns its folder, or undefined without changes. */
export async function createMigration(
  url: string,
  name: string,
  options: MigrateOptions & { shadow?: ShadowFactory } = {},
): Promise<string | undefined> {
  const sql = await schemaDiff(url, options);
  if (!sql) return undefined;
  const migrationsDir = path.join(options.dir ?? prismaDir(), "migrations");
  const stamp = new Date().toISOString().replace(/\D/g, "").slice(0, 14);
  const folder = path.join(migrationsDir, `${stamp}_${name}`);
  fs.mkdirSync(folder, { recursive: true });
  fs.writeFileSync(path.join(folder, "migration.sql"), sql);
  const lock = path.join(migrationsDir, "migration_lock.toml");
  if (!fs.existsSync(lock)) fs.writeFileSync(lock, 'provider = "postgresql"\n');
  return folder;
}

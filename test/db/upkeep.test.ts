import { randomUUID } from "node:crypto";
import { expect, test } from "vitest";
import { vacuumWhereDue } from "../../packages/server/src/db/embedded/vacuum.ts";
import { databaseKind, useTestDb } from "../support/database.ts";

const testDb = useTestDb();

/** Statistics reach the views once the session that made them reports (at most once a second). */
async function flushStatistics(): Promise<void> {
  await testDb.db.$executeRaw`SELECT pg_stat_force_next_flush()`;
  await testDb.db.$executeRaw`SELECT 1`;
}

const lastAnalysed = async (table: string) =>
  (
    await testDb.db.$queryRaw<Array<{ analysed: Date | null; rows: number }>>`
      SELECT greatest(last_analyze, last_autoanalyze) AS analysed, c.reltuples::int AS rows
      FROM pg_stat_user_tables s JOIN pg_class c ON c.oid = s.relid WHERE s.relname = ${table}`
  )[0]!;

async function addPublications(platformId: string, count: number): Promise<void> {
  await testDb.db.$executeRaw`
    INSERT INTO "Publication" (id, "platformId", "externalId", title, purposes, territories, "validUntil", "updatedAt")
    SELECT gen_random_uuid(), ${platformId}::uuid, 'e' || g, 't', '{}', '{}', now() + interval '1 year', now()
    FROM generate_series(1, ${count}::int) g`;
}

// The embedded database's stand-in for autovacuum: PostgreSQL has the real one, and several
// sessions whose statistics reach the views later.
const embeddedOnly = test.skipIf(databaseKind() !== "pglite");

// The embedded database prepares the server's statements once and keeps their plans: a plan made
// while the tables were empty must not outlive their growth.
embeddedOnly("a statement prepared while the tables were small is planned again once they have grown", async () => {
  const { id } = await testDb.db.platform.create({ data: { name: "plans" } });
  const plan = () =>
    testDb.db.$queryRawUnsafe<Array<{ "QUERY PLAN": string }>>(
      `EXPLAIN EXECUTE publish_check('${id}', 'sha-256', '${randomUUID()}')`,
    );
  await testDb.db.$executeRawUnsafe(`PREPARE publish_check(uuid, text, text) AS
      SELECT p.id FROM "Publication" p JOIN "ContentFingerprint" f ON f."publicationId" = p.id
      WHERE p."platformId" = $1 AND f.alg = $2 AND f.value = $3`);
  // Six runs on (nearly) empty tables: from then on PostgreSQL keeps one generic plan.
  for (let i = 0; i < 6; i++) await plan();
  await addPublications(id, 5_000);
  await flushStatistics();
  const stale = (await plan()).map((r) => r["QUERY PLAN"]).join("\n");
  expect(stale).not.toMatch(/Index Scan using "Publication_pkey"/);
  await vacuumWhereDue(testDb.db);
  const fresh = (await plan()).map((r) => r["QUERY PLAN"]).join("\n");
  expect(fresh).toMatch(/Index Scan using "Publication_pkey"/);
  await testDb.db.$executeRawUnsafe(`DEALLOCATE publish_check`);
});

embeddedOnly("analyses the tables that changed by more than autovacuum's threshold, and only those", async () => {
  await testDb.db
    .$executeRaw`INSERT INTO "Platform" (id, name) SELECT gen_random_uuid(), 'p' || g FROM generate_series(1, 500) g`;
  await flushStatistics();
  expect(await vacuumWhereDue(testDb.db)).toContainEqual({ table: "Platform", vacuumed: false });
  const analysed = await lastAnalysed("Platform");
  expect(analysed.analysed).not.toBeNull();
  expect(analysed.rows).toBeGreaterThanOrEqual(500);

  // Two changed rows are under 50 + 10 % of the table: not due.
  await testDb.db.platform.updateMany({ where: { name: { in: ["p1", "p2"] } }, data: { name: "changed" } });
  await flushStatistics();
  expect((await vacuumWhereDue(testDb.db)).map((d) => d.table)).not.toContain("Platform");

  // Every row changed: as many dead rows, vacuumed as well.
  await testDb.db.platform.updateMany({ data: { slaSeconds: 7200 } });
  await flushStatistics();
  expect(await vacuumWhereDue(testDb.db)).toContainEqual({ table: "Platform", vacuumed: true });
  expect((await vacuumWhereDue(testDb.db)).map((d) => d.table)).not.toContain("Platform");
});

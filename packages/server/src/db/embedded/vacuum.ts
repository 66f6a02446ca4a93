import type { Db } from "../client.ts";

/**
 * PGlite runs no autovacuum. Without it no table is ever analysed: the planner keeps the estimates
 * of the empty tables it first saw, and the embedded database's prepared statements the plans made
 * from them (the publish check came to read every publication of a platform: 22 ms at 20,000
 * instead of 0.06 ms). Nor are dead rows ever reclaimed. This does what autovacuum would, with its
 * default thresholds (PostgreSQL docs, "The Autovacuum Daemon": 50 rows plus 10 % of the table
 * changed since the last ANALYZE; 50 plus 20 % dead, or 1,000 plus 20 % inserted since the last
 * VACUUM). An ANALYZE also makes PostgreSQL plan prepared statements on the table again.
 *
 * Returns the tables it analysed, and whether it vacuumed them too.
 */
export async function vacuumWhereDue(db: Db): Promise<Array<{ table: string; vacuumed: boolean }>> {
  const due = await db.$queryRaw<Array<{ table: string; vacuum: boolean }>>`
    SELECT s.relname AS "table",
      s.n_dead_tup > 50 + 0.2 * t.rows OR s.n_ins_since_vacuum > 1000 + 0.2 * t.rows AS "vacuum"
    FROM pg_stat_user_tables s
    JOIN pg_class c ON c.oid = s.relid
    CROSS JOIN LATERAL (SELECT greatest(c.reltuples, 0) AS rows) t
    WHERE s.schemaname = current_schema() AND (
      s.n_mod_since_analyze > 50 + 0.1 * t.rows
      OR s.n_dead_tup > 50 + 0.2 * t.rows
      OR s.n_ins_since_vacuum > 1000 + 0.2 * t.rows)
    ORDER BY s.relname`;
  for (const { table, vacuum } of due) {
    const name = `"${table.replaceAll('"', '""')}"`;
    // Outside a transaction: VACUUM cannot run in one.
    await db.$executeRawUnsafe(vacuum ? `VACUUM (ANALYZE) ${name}` : `ANALYZE ${name}`);
  }
  return due.map(({ table, vacuum }) => ({ table, vacuumed: vacuum }));
}

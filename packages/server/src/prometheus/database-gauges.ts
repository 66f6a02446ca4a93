import type { Logger } from "pino";
import { Gauge, type Registry } from "prom-client";
import type { Db } from "../db/client.ts";

interface Snapshot {
  outbox: { depth: number; oldestAgeSeconds: number };
  takedowns: Array<{ platform: string; open: number; overdue: number }>;
  reports: Array<{ platform: string; open: number; overdue: number }>;
  log: { entries: number; checkpointSize: number | null; checkpointAgeSeconds: number | null };
}

/**
 * Series read from the database when Prometheus scrapes, with a few indexed aggregates (one
 * snapshot per scrape, shared by the gauges). They describe the shared database, so every
 * instance reports the same values: aggregate them with `max`, not `sum`. When the database does
 * not answer, `vergewis_metrics_database_up` is 0 and these series are left out, while the
 * process's own series are still served.
 */
export function registerDatabaseGauges(registry: Registry, db: Db, log: Logger): void {
  let pending: Promise<Snapshot | undefined> | undefined;
  // The gauges' collect callbacks of one scrape all start before any query ends: they share one.
  const snapshot = () =>
    (pending ??= read(db)
      .catch((error: unknown) => {
        log.warn({ err: error }, "metrics: could not read the database");
        return undefined;
      })
      .finally(() => (pending = undefined)));

  const gauge = (name: string, help: string, labelNames: string[], fill: (g: Gauge, s: Snapshot) => void) =>
    new Gauge({
      name,
      help,
      labelNames,
      registers: [registry],
      async collect() {
        this.reset();
        const s = await snapshot();
        if (s) fill(this, s);
      },
    });

  new Gauge({
    name: "vergewis_metrics_database_up",
    help: "1 when the database answered this scrape's queries, 0 when it did not.",
    registers: [registry],
    async collect() {
      this.set((await snapshot()) ? 1 : 0);
    },
  });
  gauge(
    "vergewis_outbox_pending_deliveries",
    "Webhook deliveries not yet delivered nor dead-lettered (pending or retrying).",
    [],
    (g, s) => g.set(s.outbox.depth),
  );
  gauge(
    "vergewis_outbox_oldest_pending_age_seconds",
    "Age of the oldest undelivered webhook delivery, from when it was queued (0 when none waits).",
    [],
    (g, s) => g.set(s.outbox.oldestAgeSeconds),
  );
  for (const [kind, what] of [
    ["takedowns", "Takedowns not yet acknowledged"],
    ["reports", "Reports not yet resolved"],
  ] as const) {
    gauge(`vergewis_${kind}_open`, `${what}, by platform id.`, ["platform"], (g, s) => {
      for (const row of s[kind]) g.set({ platform: row.platform }, row.open);
    });
    gauge(`vergewis_${kind}_overdue`, `${what} past their deadline, by platform id.`, ["platform"], (g, s) => {
      for (const row of s[kind]) g.set({ platform: row.platform }, row.overdue);
    });
  }
  gauge("vergewis_audit_log_entries", "Entries in the audit log (its tree size).", [], (g, s) => g.set(s.log.entries));
  gauge(
    "vergewis_audit_checkpoint_tree_size",
    "Tree size of the newest signed checkpoint (absent before the first).",
    [],
    (g, s) => s.log.checkpointSize !== null && g.set(s.log.checkpointSize),
  );
  gauge(
    "vergewis_audit_checkpoint_age_seconds",
    "Age of the newest signed checkpoint (absent before the first). One is signed only when the log grew.",
    [],
    (g, s) => s.log.checkpointAgeSeconds !== null && g.set(s.log.checkpointAgeSeconds),
  );
}

async function read(db: Db): Promise<Snapshot> {
  // Each query walks an index: the undelivered rows, the open items, the log's two ends.
  const [outbox] = await db.$queryRaw<Array<{ depth: number; age: number | null }>>`
    SELECT count(*)::int AS depth, extract(epoch FROM now() - min("queuedAt"))::float8 AS age
    FROM "WebhookDelivery" WHERE "nextAttemptAt" IS NOT NULL AND status IN ('pending', 'retrying')`;
  const takedowns = await db.$queryRaw<Snapshot["takedowns"]>`
    SELECT "platformId"::text AS platform, count(*)::int AS open,
           (count(*) FILTER (WHERE "dueAt" < now()))::int AS overdue
    FROM "Takedown" WHERE "acknowledgedAt" IS NULL GROUP BY "platformId"`;
  const reports = await db.$queryRaw<Snapshot["reports"]>`
    SELECT "platformId"::text AS platform, count(*)::int AS open,
           (count(*) FILTER (WHERE "dueAt" < now()))::int AS overdue
    FROM "Report" WHERE status = 'open' GROUP BY "platformId"`;
  const [log] = await db.$queryRaw<Array<{ entries: number; size: number | null; age: number | null }>>`
    SELECT (SELECT coalesce(max("index") + 1, 0) FROM "AuditEvent")::float8 AS entries,
           c."treeSize"::float8 AS size, extract(epoch FROM now() - c."createdAt")::float8 AS age
    FROM (SELECT 1) AS one
    LEFT JOIN (SELECT "treeSize", "createdAt" FROM "AuditCheckpoint" ORDER BY "treeSize" DESC LIMIT 1) AS c ON true`;
  return {
    outbox: { depth: outbox!.depth, oldestAgeSeconds: Math.max(0, outbox!.age ?? 0) },
    takedowns,
    reports,
    log: { entries: log!.entries, checkpointSize: log!.size, checkpointAgeSeconds: log!.age },
  };
}

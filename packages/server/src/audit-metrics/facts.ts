import type { Db } from "../db/client.ts";
import { Prisma } from "../db/generated/client.ts";
import { COUNTER_NAMES, COUNTERS, type CounterName } from "./catalogue.ts";
import { TakedownLedger, type LogPosition, type TakedownFact } from "./takedown-ledger.ts";

export type { LogPosition, TakedownFact } from "./takedown-ledger.ts";

// What the metrics and the report are made of, read from log entries up to a signed tree size.
// Counting may use the indexed columns (type, time, platform) of AuditEvent: a check constraint
// keeps them equal to the fields of the entry itself.

export type SlaOutcome = "met" | "breached" | "pending";

/**
 * When a takedown counts as done: the later of the removal the platform states and the moment
 * Vergewis logged its acknowledgement. `removedAt` is the platform's word; the log entry's time is
 * what Vergewis witnessed. Content the platform says it removed early, but acknowledged after the
 * deadline, was not known to be removed by the deadline; and no takedown is done before it was
 * requested, so latencies are never negative (also for entries logged before removedAt was bounded).
 */
export function settledAt(t: TakedownFact): number | undefined {
  if (!t.acknowledged) return undefined;
  return Math.max(Date.parse(t.acknowledged.time), Date.parse(t.acknowledged.removedAt), Date.parse(t.requested.time));
}

/** Met: settled by the deadline. Breached: settled late, or not acknowledged and past due. */
export function slaOutcome(takedown: TakedownFact, now: Date): SlaOutcome {
  const due = Date.parse(takedown.dueAt);
  const settled = settledAt(takedown);
  if (settled !== undefined) return settled <= due ? "met" : "breached";
  return now.getTime() > due ? "breached" : "pending";
}

/** Seconds from the takedown request until it was settled (`settledAt`); never negative. */
export const latencySeconds = (t: TakedownFact) => {
  const settled = settledAt(t);
  return settled === undefined ? undefined : (settled - Date.parse(t.requested.time)) / 1000;
};

/** A period of the log: entries of one platform (or all) in [from, to), below `treeSize`. */
export interface Period {
  platformId: string | undefined;
  from: Date;
  to: Date;
  /** Entries at or beyond this size (not yet in the checkpoint) are left out. */
  treeSize: number;
}

const inLog = (p: Pick<Period, "platformId" | "treeSize">): Prisma.AuditEventWhereInput => ({
  ...(p.platformId !== undefined && { platformId: p.platformId }),
  index: { lt: p.treeSize },
});

const counterOf = (type: string) => COUNTER_NAMES.find((name) => (COUNTERS[name] as readonly string[]).includes(type));
const counterTypes = () => [...new Set<string>(Object.values(COUNTERS).flat())];

/** Per figure, the number of entries per UTC day, counted in the database: nothing is transferred but the totals. */
export async function dailyCounts(db: Db, period: Period): Promise<Record<CounterName, Map<string, number>>> {
  const platform =
    period.platformId === undefined ? Prisma.empty : Prisma.sql`AND "platformId" = ${period.platformId}::uuid`;
  const rows = await db.$queryRaw<Array<{ day: string; type: string; n: number }>>`
    SELECT to_char("createdAt" AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day, "type", count(*)::int AS n
    FROM "AuditEvent"
    WHERE "type" = ANY(${counterTypes()}::text[]) AND "createdAt" >= ${period.from} AND "createdAt" < ${period.to}
      AND "index" < ${period.treeSize} ${platform}
    GROUP BY 1, 2`;
  const counts = Object.fromEntries(COUNTER_NAMES.map((name) => [name, new Map<string, number>()])) as Record<
    CounterName,
    Map<string, number>
  >;
  for (const row of rows) {
    const days = counts[counterOf(row.type)!];
    days.set(row.day, (days.get(row.day) ?? 0) + row.n);
  }
  return counts;
}

/** Per figure, every entry it counts (index and time): the sources a report lists. */
export async function countedEntries(db: Db, period: Period): Promise<Record<CounterName, LogPosition[]>> {
  const counted = Object.fromEntries(COUNTER_NAMES.map((name) => [name, []])) as unknown as Record<
    CounterName,
    LogPosition[]
  >;
  const where = { ...inLog(period), type: { in: counterTypes() }, createdAt: { gte: period.from, lt: period.to } };
  for (let after = -1n; ; ) {
    const batch = await db.auditEvent.findMany({
      where: { ...where, index: { gt: after, lt: period.treeSize } },
      orderBy: { index: "asc" },
      take: 5000,
      select: { index: true, type: true, createdAt: true },
    });
    for (const row of batch)
      counted[counterOf(row.type)!].push({ index: Number(row.index), time: row.createdAt.toISOString() });
    if (batch.length < 5000) return counted;
    after = batch.at(-1)!.index;
  }
}

// One ledger per database client: tests and tools may hold several.
const ledgers = new WeakMap<Db, TakedownLedger>();
const ledgerOf = (db: Db) => {
  let ledger = ledgers.get(db);
  if (!ledger) ledgers.set(db, (ledger = new TakedownLedger()));
  return ledger;
};

const inScope = (t: TakedownFact, platformId: string | undefined) =>
  platformId === undefined || t.platformId === platformId;

/** Takedowns requested in the period, each with its acknowledgement if there is one. */
export async function requestedTakedowns(db: Db, period: Period): Promise<TakedownFact[]> {
  const [from, to] = [period.from.getTime(), period.to.getTime()];
  return (await ledgerOf(db).at(db, period.treeSize)).filter((t) => {
    const time = Date.parse(t.requested.time);
    return inScope(t, period.platformId) && time >= from && time < to;
  });
}

/** Every takedown in the log that was not acknowledged (as of `treeSize`), oldest first. */
export async function openTakedowns(db: Db, scope: Pick<Period, "platformId" | "treeSize">): Promise<TakedownFact[]> {
  return (await ledgerOf(db).at(db, scope.treeSize)).filter(
    (t) => t.acknowledged === null && inScope(t, scope.platformId),
  );
}

import { auditLog } from "../audit/append.ts";
import type { Db, Tx } from "../db/client.ts";
import { Prisma } from "../db/generated/client.ts";
import { runTransaction, type Effects } from "../db/transaction.ts";
import { enqueueEvent } from "../webhook/outbox.ts";

const BATCH = 100;

/** An overdue case as its notice names it, after the notice was counted. */
export interface OverdueCase {
  id: string;
  platformId: string;
  publicationId: string;
  externalId: string;
  dueAt: Date;
  notice: number;
}

/** A kind of case with a deadline: its table, when one is still open, and who goes first. */
export interface OverdueClock {
  table: "Takedown" | "Report";
  open: Prisma.Sql;
  order: Prisma.Sql;
  /** Tells the platform and the log, in the transaction that counted the notice. */
  notify(tx: Tx, effects: Effects, overdue: OverdueCase): Promise<void>;
}

/**
 * The SLA clock, one for takedowns and reports: every case still open at its `nextNoticeAt`
 * (first the deadline, then every `interval`) gets a notice to the platform and an audit event,
 * and is flagged as escalated from the first one on. Rows are claimed with SKIP LOCKED, so
 * instances running this side by side send each notice once. Returns how many notices were sent.
 */
export async function sendOverdueNotices(db: Db, clock: OverdueClock, interval: number, now: Date): Promise<number> {
  const table = Prisma.raw(`"${clock.table}"`);
  return runTransaction(db, async (tx, effects) => {
    const due = await tx.$queryRaw<Array<{ id: string }>>`
      SELECT id::text AS id FROM ${table}
      WHERE ${clock.open} AND "nextNoticeAt" <= ${now}::timestamptz
      ORDER BY ${clock.order}
      LIMIT ${BATCH}
      FOR UPDATE SKIP LOCKED`;
    for (const { id } of due) {
      const [overdue] = await tx.$queryRaw<[OverdueCase]>`
        UPDATE ${table} AS c SET
          "overdueNotices" = c."overdueNotices" + 1,
          "nextNoticeAt" = ${new Date(now.getTime() + interval)}::timestamptz,
          "escalatedAt" = COALESCE(c."escalatedAt", ${now}::timestamptz)
        FROM "Publication" p
        WHERE c.id = ${id}::uuid AND p.id = c."publicationId"
        RETURNING c.id::text AS id, c."platformId"::text AS "platformId",
          c."publicationId"::text AS "publicationId", p."externalId", c."dueAt", c."overdueNotices" AS notice`;
      await clock.notify(tx, effects, overdue);
    }
    return due.length;
  });
}

const takedowns: OverdueClock = {
  table: "Takedown",
  open: Prisma.sql`"acknowledgedAt" IS NULL`,
  order: Prisma.sql`"nextNoticeAt"`,
  async notify(tx, effects, { id, platformId, publicationId, externalId, dueAt, notice }) {
    effects.write(auditLog, {
      type: "takedown.overdue",
      platformId,
      publicationId,
      data: { takedownId: id, dueAt: dueAt.toISOString(), notice },
    });
    await enqueueEvent(tx, effects, {
      platformId,
      type: "takedown.overdue",
      payload: { takedownId: id, publicationId, externalId, dueAt: dueAt.toISOString(), notice },
    });
  },
};

/** Overdue notices for takedowns not yet acknowledged. */
export const sendTakedownOverdueNotices = (db: Db, interval: number, now = new Date()) =>
  sendOverdueNotices(db, takedowns, interval, now);

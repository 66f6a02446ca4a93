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

/** What every overdue notice says of its case besides the case's id, whatever the clock. */
export interface NoticeFields {
  dueAt: string;
  /** 1 for the first notice after the deadline, then 2, 3, … */
  notice: number;
}

/** A notice's event type and its log entry's data: the case's id under its own name, then the rest. */
export type OverdueNotice =
  | { type: "takedown.overdue"; data: NoticeFields & { takedownId: string } }
  | { type: "report.overdue"; data: NoticeFields & { reportId: string } };

/**
 * A kind of case with a deadline: its table, when one is still open, who goes first, and what its
 * notices are called. The rest of a notice is the same for every clock (notify).
 */
export interface OverdueClock {
  table: "Takedown" | "Report";
  open: Prisma.Sql;
  order: Prisma.Sql;
  notice(id: string, notice: NoticeFields): OverdueNotice;
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
      await notify(tx, effects, clock, overdue);
    }
    return due.length;
  });
}

/**
 * Tells the log and the platform of one notice, in the transaction that counted it: the webhook's
 * data is the log entry's plus the publication, so both clocks' webhooks have one shape.
 */
async function notify(tx: Tx, effects: Effects, clock: OverdueClock, overdue: OverdueCase): Promise<void> {
  const { platformId, publicationId, externalId } = overdue;
  const notice = clock.notice(overdue.id, { dueAt: overdue.dueAt.toISOString(), notice: overdue.notice });
  effects.write(auditLog, { ...notice, platformId, publicationId });
  await enqueueEvent(tx, effects, {
    platformId,
    type: notice.type,
    payload: { ...notice.data, publicationId, externalId },
  });
}

const takedowns: OverdueClock = {
  table: "Takedown",
  open: Prisma.sql`"acknowledgedAt" IS NULL`,
  order: Prisma.sql`"nextNoticeAt"`,
  notice: (takedownId, notice) => ({ type: "takedown.overdue", data: { takedownId, ...notice } }),
};

/** Overdue notices for takedowns not yet acknowledged. */
export const sendTakedownOverdueNotices = (db: Db, interval: number, now = new Date()) =>
  sendOverdueNotices(db, takedowns, interval, now);

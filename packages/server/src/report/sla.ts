import { auditLog } from "../audit/append.ts";
import type { Db } from "../db/client.ts";
import { runTransaction } from "../db/transaction.ts";
import { enqueueEvent } from "../webhook/outbox.ts";

const BATCH = 100;

/**
 * The reports' SLA clock, like the takedowns' (takedown/sla.ts): each open report past its
 * `nextNoticeAt` gets a `report.overdue` notice and an audit event, escalated from the first one.
 */
export async function sendReportOverdueNotices(db: Db, interval: number, now = new Date()): Promise<number> {
  return runTransaction(db, async (tx, effects) => {
    const due = await tx.$queryRaw<Array<{ id: string }>>`
      SELECT id::text AS id FROM "Report"
      WHERE status = 'open' AND "nextNoticeAt" <= ${now}::timestamptz
      ORDER BY trusted DESC, "nextNoticeAt"
      LIMIT ${BATCH}
      FOR UPDATE SKIP LOCKED`;
    for (const { id } of due) {
      const report = await tx.report.update({
        where: { id },
        data: { overdueNotices: { increment: 1 }, nextNoticeAt: new Date(now.getTime() + interval) },
        select: {
          platformId: true,
          publicationId: true,
          trusted: true,
          dueAt: true,
          overdueNotices: true,
          escalatedAt: true,
          publication: { select: { externalId: true } },
        },
      });
      if (!report.escalatedAt) await tx.report.update({ where: { id }, data: { escalatedAt: now } });
      effects.write(auditLog, {
        type: "report.overdue",
        platformId: report.platformId,
        publicationId: report.publicationId,
        data: { reportId: id, dueAt: report.dueAt.toISOString(), notice: report.overdueNotices },
      });
      await enqueueEvent(tx, effects, {
        platformId: report.platformId,
        type: "report.overdue",
        payload: {
          reportId: id,
          publicationId: report.publicationId,
          externalId: report.publication.externalId,
          dueAt: report.dueAt.toISOString(),
          notice: report.overdueNotices,
        },
      });
    }
    return due.length;
  });
}

import { auditLog } from "../audit/append.ts";
import type { Db } from "../db/client.ts";
import { runTransaction } from "../db/transaction.ts";
import { enqueueEvent } from "../webhook/outbox.ts";

const BATCH = 100;

/**
 * The SLA clock: every takedown still unacknowledged at its `nextNoticeAt` (first the deadline,
 * then every `interval`) gets a `takedown.overdue` notice to the platform and an audit event, and
 * is flagged as escalated from the first one on. Rows are claimed with SKIP LOCKED, so instances
 * running this side by side send each notice once. Returns how many notices were sent.
 */
export async function sendTakedownOverdueNotices(db: Db, interval: number, now = new Date()): Promise<number> {
  return runTransaction(db, async (tx, effects) => {
    const due = await tx.$queryRaw<Array<{ id: string }>>`
      SELECT id::text AS id FROM "Takedown"
      WHERE "acknowledgedAt" IS NULL AND "nextNoticeAt" <= ${now}::timestamptz
      ORDER BY "nextNoticeAt"
      LIMIT ${BATCH}
      FOR UPDATE SKIP LOCKED`;
    for (const { id } of due) {
      const takedown = await tx.takedown.update({
        where: { id },
        data: { overdueNotices: { increment: 1 }, nextNoticeAt: new Date(now.getTime() + interval) },
        select: {
          platformId: true,
          publicationId: true,
          dueAt: true,
          overdueNotices: true,
          escalatedAt: true,
          publication: { select: { externalId: true } },
        },
      });
      if (!takedown.escalatedAt) await tx.takedown.update({ where: { id }, data: { escalatedAt: now } });
      effects.write(auditLog, {
        type: "takedown.overdue",
        platformId: takedown.platformId,
        publicationId: takedown.publicationId,
        data: { takedownId: id, dueAt: takedown.dueAt.toISOString(), notice: takedown.overdueNotices },
      });
      await enqueueEvent(tx, effects, {
        platformId: takedown.platformId,
        type: "takedown.overdue",
        payload: {
          takedownId: id,
          publicationId: takedown.publicationId,
          externalId: takedown.publication.externalId,
          dueAt: takedown.dueAt.toISOString(),
          notice: takedown.overdueNotices,
        },
      });
    }
    return due.length;
  });
}

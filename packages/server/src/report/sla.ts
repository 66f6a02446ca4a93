import { auditLog } from "../audit/append.ts";
import type { Db } from "../db/client.ts";
import { Prisma } from "../db/generated/client.ts";
import { enqueueEvent } from "../webhook/outbox.ts";
import { sendOverdueNotices, type OverdueClock } from "../takedown/sla.ts";

/** Open reports, trusted flaggers' first: the same clock as the takedowns'. */
const reports: OverdueClock = {
  table: "Report",
  open: Prisma.sql`status = 'open'`,
  order: Prisma.sql`trusted DESC, "nextNoticeAt"`,
  async notify(tx, effects, { id, platformId, publicationId, externalId, dueAt, notice }) {
    effects.write(auditLog, {
      type: "report.overdue",
      platformId,
      publicationId,
      data: { reportId: id, dueAt: dueAt.toISOString(), notice },
    });
    await enqueueEvent(tx, effects, {
      platformId,
      type: "report.overdue",
      payload: { reportId: id, publicationId, externalId, dueAt: dueAt.toISOString(), notice },
    });
  },
};

/** Overdue notices for reports still open. */
export const sendReportOverdueNotices = (db: Db, interval: number, now = new Date()) =>
  sendOverdueNotices(db, reports, interval, now);

import { appendEvent } from "../audit/append.ts";
import type { Db } from "../db/client.ts";
import { Prisma } from "../db/generated/client.ts";
import { enqueueEvent } from "../takedown/outbox.ts";
import { sendOverdueNotices, type OverdueClock } from "../takedown/sla.ts";

/** Open reports, trusted flaggers' first: the same clock as the takedowns'. */
const reports: OverdueClock = {
  table: "Report",
  open: Prisma.sql`status = 'open'`,
  order: Prisma.sql`trusted DESC, "nextNoticeAt"`,
  async notify(tx, { id, platformId, publicationId, externalId, dueAt, notice }) {
    await appendEvent(tx, {
      type: "report.overdue",
      platformId,
      publicationId,
      data: { reportId: id, dueAt: dueAt.toISOString(), notice },
    });
    await enqueueEvent(tx, {
      platformId,
      type: "report.overdue",
      payload: { reportId: id, publicationId, externalId, dueAt: dueAt.toISOString(), notice },
    });
  },
};

/** Overdue notices for reports still open. */
export const sendReportOverdueNotices = (db: Db, interval: number, now = new Date()) =>
  sendOverdueNotices(db, reports, interval, now);

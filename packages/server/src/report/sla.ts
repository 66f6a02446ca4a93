import type { Db } from "../db/client.ts";
import { Prisma } from "../db/generated/client.ts";
import { sendOverdueNotices, type OverdueClock } from "../takedown/sla.ts";

/** Open reports, trusted flaggers' first: the same clock as the takedowns'. */
const reports: OverdueClock = {
  table: "Report",
  open: Prisma.sql`status = 'open'`,
  order: Prisma.sql`trusted DESC, "nextNoticeAt"`,
  notice: (reportId, notice) => ({ type: "report.overdue", data: { reportId, ...notice } }),
};

/** Overdue notices for reports still open. */
export const sendReportOverdueNotices = (db: Db, interval: number, now = new Date()) =>
  sendOverdueNotices(db, reports, interval, now);

import type { Fingerprint, Report, ReportCategory, ReporterKind } from "@vergewis/sdk";
import type { Prisma } from "../db/generated/client.ts";

export const reportSelect = {
  id: true,
  publicationId: true,
  matchedBy: true,
  algorithm: true,
  distance: true,
  blocking: true,
  status: true,
  receivedAt: true,
  dueAt: true,
  overdueNotices: true,
  resolvedAt: true,
  resolution: true,
  takedownId: true,
  publication: { select: { externalId: true } },
  notice: {
    select: {
      category: true,
      description: true,
      fingerprintAlg: true,
      fingerprintValue: true,
      url: true,
      reporter: true,
      flagger: { select: { id: true, name: true } },
    },
  },
} satisfies Prisma.ReportSelect;

type ReportRow = Prisma.ReportGetPayload<{ select: typeof reportSelect }>;

export const noticeFingerprint = (notice: {
  fingerprintAlg: string | null;
  fingerprintValue: string | null;
}): Fingerprint | null =>
  notice.fingerprintAlg && notice.fingerprintValue
    ? { alg: notice.fingerprintAlg as Fingerprint["alg"], value: notice.fingerprintValue }
    : null;

/** The API representation (the SDK's `reportSchema`): never the reporter's contact. */
export function toReportResource(row: ReportRow, now = new Date()): Report {
  return {
    id: row.id,
    publicationId: row.publicationId,
    externalId: row.publication.externalId,
    category: row.notice.category as ReportCategory,
    description: row.notice.description ?? "",
    matchedBy: row.matchedBy as Report["matchedBy"],
    algorithm: row.algorithm as Report["algorithm"],
    distance: row.distance,
    fingerprint: noticeFingerprint(row.notice),
    url: row.notice.url,
    trustedFlagger: row.notice.flagger,
    reporter: row.notice.reporter as ReporterKind,
    effect: effectOfRow(row),
    status: row.status,
    overdue: row.status === "open" && row.dueAt <= now,
    receivedAt: row.receivedAt.toISOString(),
    dueAt: row.dueAt.toISOString(),
    overdueNotices: row.overdueNotices,
    resolvedAt: row.resolvedAt?.toISOString() ?? null,
    resolution: (row.resolution as Report["resolution"]) ?? null,
    takedownId: row.takedownId,
  };
}

/** What the report does to the content now: blocks it (open and blocking, or upheld), reviews it, or nothing. */
const effectOfRow = (row: ReportRow): Report["effect"] =>
  row.status === "rejected" ? "none" : row.status === "upheld" || row.blocking ? "blocked" : "under_review";

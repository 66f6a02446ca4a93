import type { Takedown, TakedownStatus } from "@vergewis/sdk";
import type { Prisma } from "../db/generated/client.ts";

export const takedownSelect = {
  id: true,
  publicationId: true,
  reason: true,
  consentId: true,
  reportId: true,
  requestedAt: true,
  dueAt: true,
  overdueNotices: true,
  escalatedAt: true,
  acknowledgedAt: true,
  removedAt: true,
  note: true,
  publication: { select: { externalId: true } },
} satisfies Prisma.TakedownSelect;

type TakedownRow = Prisma.TakedownGetPayload<{ select: typeof takedownSelect }>;

export function takedownStatus(row: { acknowledgedAt: Date | null; dueAt: Date }, now = new Date()): TakedownStatus {
  if (row.acknowledgedAt) return "acknowledged";
  return row.dueAt <= now ? "overdue" : "open";
}

/** The API representation (the SDK's `takedownSchema`). */
export function toTakedownResource(row: TakedownRow, now = new Date()): Takedown {
  return {
    id: row.id,
    publicationId: row.publicationId,
    externalId: row.publication.externalId,
    reason: row.reason,
    consentId: row.consentId,
    reportId: row.reportId,
    status: takedownStatus(row, now),
    requestedAt: row.requestedAt.toISOString(),
    dueAt: row.dueAt.toISOString(),
    overdueNotices: row.overdueNotices,
    escalatedAt: row.escalatedAt?.toISOString() ?? null,
    acknowledgedAt: row.acknowledgedAt?.toISOString() ?? null,
    removedAt: row.removedAt?.toISOString() ?? null,
    note: row.note,
  };
}

/** Prisma filter for one derived status. */
export function takedownStatusWhere(status: TakedownStatus, now: Date): Prisma.TakedownWhereInput {
  switch (status) {
    case "acknowledged":
      return { acknowledgedAt: { not: null } };
    case "overdue":
      return { acknowledgedAt: null, dueAt: { lte: now } };
    case "open":
      return { acknowledgedAt: null, dueAt: { gt: now } };
  }
}

import type { Report, ReportList, reportListQuerySchema } from "@vergewis/sdk";
import type { z } from "zod";
import type { Db, Tx } from "../db/client.ts";
import { cursor, keysetPage } from "../db/keyset.ts";
import { NotFoundError } from "../errors.ts";
import type { Prisma } from "../db/generated/client.ts";
import { reportSelect, toReportResource } from "./resource.ts";

const DEFAULT_LIMIT = 25;

export async function getReport(db: Db | Tx, platformId: string, id: string): Promise<Report> {
  const row = await db.report.findFirst({ where: { id, platformId }, select: reportSelect });
  if (!row) throw new NotFoundError("report");
  return toReportResource(row);
}

/**
 * In the order to handle them: trusted flaggers' first, then by deadline. The cursor is the
 * (trusted, dueAt, id) of the last item.
 */
export async function listReports(
  db: Db,
  platformId: string,
  query: z.output<typeof reportListQuerySchema>,
): Promise<ReportList> {
  const { rows, nextCursor } = await keysetPage(query, {
    cursor: positionCursor,
    defaultLimit: DEFAULT_LIMIT,
    fetch: (after, take) =>
      db.report.findMany({
        where: {
          platformId,
          ...(query.status !== undefined && { status: query.status }),
          ...(after && { AND: [afterCursor(after)] }),
        },
        orderBy: [{ trusted: "desc" }, { dueAt: "asc" }, { id: "asc" }],
        take,
        select: { ...reportSelect, trusted: true },
      }),
    position: (row) => ({ trusted: row.trusted, dueAt: row.dueAt, id: row.id }),
  });
  const now = new Date();
  return { items: rows.map((row) => toReportResource(row, now)), nextCursor };
}

interface Position {
  trusted: boolean;
  dueAt: Date;
  id: string;
}

function afterCursor(p: Position): Prisma.ReportWhereInput {
  const later: Prisma.ReportWhereInput = {
    OR: [{ dueAt: { gt: p.dueAt } }, { dueAt: p.dueAt, id: { gt: p.id } }],
  };
  return p.trusted ? { OR: [{ trusted: false }, { trusted: true, ...later }] } : { trusted: false, ...later };
}

const positionCursor = cursor<Position>(
  /^([01]):(\d{1,15}):([0-9a-f-]{36})$/,
  (p) => `${p.trusted ? 1 : 0}:${p.dueAt.getTime()}:${p.id}`,
  (match) => ({ trusted: match[1] === "1", dueAt: new Date(Number(match[2])), id: match[3]! }),
);

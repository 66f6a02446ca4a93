import type { Report, ReportList, reportListQuerySchema } from "@vergewis/sdk";
import type { z } from "zod";
import type { Db, Tx } from "../db/client.ts";
import { NotFoundError, ValidationError } from "../errors.ts";
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
  const limit = query.limit ?? DEFAULT_LIMIT;
  const after = query.cursor === undefined ? undefined : decode(query.cursor);
  const rows = await db.report.findMany({
    where: {
      platformId,
      ...(query.status !== undefined && { status: query.status }),
      ...(after && { AND: [afterCursor(after)] }),
    },
    orderBy: [{ trusted: "desc" }, { dueAt: "asc" }, { id: "asc" }],
    take: limit + 1,
    select: { ...reportSelect, trusted: true },
  });
  const page = rows.slice(0, limit);
  const now = new Date();
  const last = page.at(-1);
  return {
    items: page.map((row) => toReportResource(row, now)),
    nextCursor: rows.length > limit && last ? encode({ trusted: last.trusted, dueAt: last.dueAt, id: last.id }) : null,
  };
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

const encode = (p: Position) => Buffer.from(`${p.trusted ? 1 : 0}:${p.dueAt.getTime()}:${p.id}`).toString("base64url");

function decode(cursor: string): Position {
  const match = /^([01]):(\d{1,15}):([0-9a-f-]{36})$/.exec(Buffer.from(cursor, "base64url").toString());
  if (!match) throw new ValidationError([{ pointer: "/query/cursor", reason: "not a cursor from this API" }]);
  return { trusted: match[1] === "1", dueAt: new Date(Number(match[2])), id: match[3]! };
}

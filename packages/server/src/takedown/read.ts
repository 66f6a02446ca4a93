import type { Takedown, TakedownList, takedownListQuerySchema } from "@vergewis/sdk";
import type { z } from "zod";
import type { Db, Tx } from "../db/client.ts";
import { NotFoundError } from "../errors.ts";
import { decodeCursor, encodeCursor } from "../http/cursor.ts";
import { takedownSelect, takedownStatusWhere, toTakedownResource } from "./resource.ts";

const DEFAULT_LIMIT = 25;

export async function getTakedown(db: Db | Tx, platformId: string, id: string): Promise<Takedown> {
  const row = await db.takedown.findFirst({ where: { id, platformId }, select: takedownSelect });
  if (!row) throw new NotFoundError("takedown");
  return toTakedownResource(row);
}

/** Newest first; `status` filters on the derived status (open, overdue, acknowledged). */
export async function listTakedowns(
  db: Db,
  platformId: string,
  query: z.output<typeof takedownListQuerySchema>,
): Promise<TakedownList> {
  const now = new Date();
  const limit = query.limit ?? DEFAULT_LIMIT;
  const rows = await db.takedown.findMany({
    where: {
      platformId,
      ...(query.status && { OR: [...new Set(query.status)].map((s) => takedownStatusWhere(s, now)) }),
      ...(query.publicationId !== undefined && { publicationId: query.publicationId }),
      ...(query.cursor !== undefined && { id: { lt: decodeCursor(query.cursor) } }),
    },
    orderBy: { id: "desc" },
    take: limit + 1,
    select: takedownSelect,
  });
  const page = rows.slice(0, limit);
  return {
    items: page.map((row) => toTakedownResource(row, now)),
    nextCursor: rows.length > limit ? encodeCursor(page.at(-1)!.id) : null,
  };
}

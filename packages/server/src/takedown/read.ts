import type { Takedown, TakedownList, takedownListQuerySchema } from "@vergewis/sdk";
import type { z } from "zod";
import type { Db, Tx } from "../db/client.ts";
import { idCursor, keysetPage } from "../db/keyset.ts";
import { NotFoundError } from "../errors.ts";
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
  const { rows, nextCursor } = await keysetPage(query, {
    cursor: idCursor,
    defaultLimit: DEFAULT_LIMIT,
    fetch: (after, take) =>
      db.takedown.findMany({
        where: {
          platformId,
          ...(query.status && { OR: [...new Set(query.status)].map((s) => takedownStatusWhere(s, now)) }),
          ...(query.publicationId !== undefined && { publicationId: query.publicationId }),
          ...(after !== undefined && { id: { lt: after } }),
        },
        orderBy: { id: "desc" },
        take,
        select: takedownSelect,
      }),
    position: (row) => row.id,
  });
  return { items: rows.map((row) => toTakedownResource(row, now)), nextCursor };
}

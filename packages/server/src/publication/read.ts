import type { Publication, PublicationList, publicationListQuerySchema } from "@vergewis/sdk";
import type { z } from "zod";
import type { Db } from "../db/client.ts";
import { idCursor, keysetPage } from "../db/keyset.ts";
import { NotFoundError } from "../errors.ts";
import { publicationInclude, toResource } from "./resource.ts";

/** A platform's publication by id; another platform's is reported as absent, not forbidden. */
export async function getPublication(db: Db, platformId: string, id: string): Promise<Publication> {
  const row = await db.publication.findFirst({ where: { id, platformId }, include: publicationInclude });
  if (!row) throw new NotFoundError("publication");
  return toResource(row);
}

const DEFAULT_LIMIT = 25;

/** Newest first; the cursor is the last id of the page, so pages stay stable while rows are added. */
export async function listPublications(
  db: Db,
  platformId: string,
  query: z.output<typeof publicationListQuerySchema>,
): Promise<PublicationList> {
  const { rows, nextCursor } = await keysetPage(query, {
    cursor: idCursor,
    defaultLimit: DEFAULT_LIMIT,
    fetch: (after, take) =>
      db.publication.findMany({
        where: {
          platformId,
          ...(query.externalId !== undefined && { externalId: query.externalId }),
          ...(query.status !== undefined && { status: query.status }),
          ...(after !== undefined && { id: { lt: after } }),
        },
        orderBy: { id: "desc" },
        take,
        include: publicationInclude,
      }),
    position: (row) => row.id,
  });
  return { items: rows.map(toResource), nextCursor };
}

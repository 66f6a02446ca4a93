import type { AuditEvent, AuditEventList, auditEventQuerySchema, auditExportQuerySchema } from "@vergewis/sdk";
import { linkPseudonyms, pseudonymsOf } from "../identity/pairwise.ts";
import type { z } from "zod";
import type { Db } from "../db/client.ts";
import type { Prisma } from "../db/generated/client.ts";
import { cursor, keysetPage } from "../db/keyset.ts";
import { toAuditEvent } from "./resource.ts";
import { scopedPlatform, type AuditorScope } from "./scope.ts";

type Filters = Omit<z.output<typeof auditExportQuerySchema>, "format">;

const row = { index: true, entry: true, leafHash: true } as const;

/** The WHERE clause of a query, limited to the auditor's scope: every read goes through here. */
export function eventWhere(scope: AuditorScope, filters: Filters): Prisma.AuditEventWhereInput {
  const platformId = scopedPlatform(scope, filters.platform);
  return {
    ...(platformId !== undefined && { platformId }),
    ...(filters.publication !== undefined && { publicationId: filters.publication }),
    ...(filters.performer !== undefined && { performerPseudonym: filters.performer }),
    ...(filters.type !== undefined && { type: { in: filters.type } }),
    ...((filters.from !== undefined || filters.to !== undefined) && {
      createdAt: {
        ...(filters.from !== undefined && { gte: new Date(filters.from) }),
        ...(filters.to !== undefined && { lt: new Date(filters.to) }),
      },
    }),
  };
}

const DEFAULT_LIMIT = 100;

/** The cursor is the log index of the page's last event. */
const indexCursor = cursor<bigint>(
  /^i(\d{1,16})$/,
  (index) => `i${index}`,
  (match) => BigInt(match[1]!),
);

/** One page of events in log order (or newest first); the cursor is the last index of the page. */
export async function listEvents(
  db: Db,
  scope: AuditorScope,
  query: z.output<typeof auditEventQuerySchema>,
): Promise<AuditEventList> {
  const order = query.order ?? "asc";
  // An all-platform auditor asking for a performer gets every pseudonym of theirs.
  const performer =
    scope.kind === "all" && query.performer !== undefined
      ? { performerPseudonym: { in: await pseudonymsOf(db, query.performer) } }
      : {};
  const { rows, nextCursor } = await keysetPage(query, {
    cursor: indexCursor,
    defaultLimit: DEFAULT_LIMIT,
    fetch: (after, take) => {
      const where = { ...eventWhere(scope, query), ...performer };
      return db.auditEvent.findMany({
        where:
          after === undefined ? where : { AND: [where, { index: order === "asc" ? { gt: after } : { lt: after } }] },
        orderBy: { index: order },
        take,
        select: row,
      });
    },
    position: (event) => event.index,
  });
  return { items: await linked(db, scope, rows.map(toAuditEvent)), nextCursor };
}

/** For an all-platform auditor, each event's pairwise pseudonym with the performer's own (identity/pairwise.ts). */
async function linked(db: Db, scope: AuditorScope, events: AuditEvent[]): Promise<AuditEvent[]> {
  if (scope.kind !== "all") return events;
  const links = await linkPseudonyms(
    db,
    events.flatMap((e) => (e.performerPseudonym === null ? [] : [e.performerPseudonym])),
  );
  return events.map((e) => {
    const own = e.performerPseudonym === null ? undefined : links.get(e.performerPseudonym);
    return own === undefined ? e : { ...e, linkedPerformer: own };
  });
}

/** One event by its leaf index; absent when outside the auditor's scope. */
export async function findEvent(db: Db, scope: AuditorScope, index: number) {
  const found = await db.auditEvent.findFirst({ where: { AND: [eventWhere(scope, {}), { index }] }, select: row });
  return found && (await linked(db, scope, [toAuditEvent(found)]))[0]!;
}

/** Every matching row in log order, in batches: memory stays flat however many there are. */
export async function* eventBatches(db: Db, where: Prisma.AuditEventWhereInput, batchSize = 1000) {
  let after = -1n;
  for (;;) {
    const batch = await db.auditEvent.findMany({
      where: { AND: [where, { index: { gt: after } }] },
      orderBy: { index: "asc" },
      take: batchSize,
      select: row,
    });
    if (batch.length === 0) return;
    yield batch;
    if (batch.length < batchSize) return;
    after = batch.at(-1)!.index;
  }
}

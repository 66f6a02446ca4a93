import type { EventList, eventListQuerySchema, WebhookEvent } from "@vergewis/sdk";
import type { z } from "zod";
import type { Db } from "../db/client.ts";
import { ValidationError } from "../errors.ts";
import { toEvent, type StoredEvent } from "./envelope.ts";

const DEFAULT_LIMIT = 50;

/**
 * A platform's events in commit-safe order: every event is listed whether or not a webhook
 * endpoint received it, so a platform without one (or after an outage) can poll.
 *
 * Ids are assigned when a row is written, not when its transaction commits, so paging by id alone
 * could skip an event that commits after a later one was read. Events are therefore ordered by
 * (writing transaction id, id) and listed only below the oldest transaction still running
 * (`pg_snapshot_xmin`): whatever commits later sorts after every event already returned.
 */
export async function listEvents(
  db: Db,
  platformId: string,
  query: z.output<typeof eventListQuerySchema>,
): Promise<EventList> {
  const limit = query.limit ?? DEFAULT_LIMIT;
  const after =
    query.cursor === undefined ? { txid: "0", id: "00000000-0000-0000-0000-000000000000" } : decode(query.cursor);
  const rows = await db.$queryRaw<Array<StoredEvent & { txid: string }>>`
    SELECT id::text AS id, type, payload, "createdAt", txid::text AS txid
    FROM "OutboxMessage"
    WHERE "platformId" = ${platformId}::uuid
      AND (${query.type ?? null}::text IS NULL OR type = ${query.type ?? null}::text)
      AND (txid, id) > (${after.txid}::xid8, ${after.id}::uuid)
      AND txid < pg_snapshot_xmin(pg_current_snapshot())
    ORDER BY txid, id
    LIMIT ${limit}`;
  const last = rows.at(-1);
  return {
    items: rows.map((row) => toEvent(row) as WebhookEvent),
    nextCursor: last ? encode(last) : (query.cursor ?? null),
  };
}

const encode = (row: { txid: string; id: string }) => Buffer.from(`${row.txid}:${row.id}`).toString("base64url");

function decode(cursor: string): { txid: string; id: string } {
  const match = /^(\d{1,20}):([0-9a-f-]{36})$/.exec(Buffer.from(cursor, "base64url").toString());
  if (!match) throw new ValidationError([{ pointer: "/query/cursor", reason: "not a cursor from this API" }]);
  return { txid: match[1]!, id: match[2]! };
}

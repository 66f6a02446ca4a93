import type { EventList, eventListQuerySchema, WebhookEvent } from "@vergewis/sdk";
import type { z } from "zod";
import type { Db } from "../db/client.ts";
import { cursor, keysetPage } from "../db/keyset.ts";
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
  const { rows, nextCursor } = await keysetPage(query, {
    cursor: eventCursor,
    defaultLimit: DEFAULT_LIMIT,
    feed: true,
    fetch: (after = { txid: "0", id: "00000000-0000-0000-0000-000000000000" }, take) =>
      db.$queryRaw<Array<StoredEvent & { txid: string }>>`
        SELECT id::text AS id, type, payload, "createdAt", txid::text AS txid
        FROM "OutboxMessage"
        WHERE "platformId" = ${platformId}::uuid
          AND (${query.type ?? null}::text IS NULL OR type = ${query.type ?? null}::text)
          AND (txid, id) > (${after.txid}::xid8, ${after.id}::uuid)
          AND txid < pg_snapshot_xmin(pg_current_snapshot())
        ORDER BY txid, id
        LIMIT ${take}`,
    position: (row) => ({ txid: row.txid, id: row.id }),
  });
  return { items: rows.map((row) => toEvent(row) as WebhookEvent), nextCursor };
}

const eventCursor = cursor<{ txid: string; id: string }>(
  /^(\d{1,20}):([0-9a-f-]{36})$/,
  (p) => `${p.txid}:${p.id}`,
  (match) => ({ txid: match[1]!, id: match[2]! }),
);

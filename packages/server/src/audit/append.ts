import { createHash } from "node:crypto";
import { canonicalJson } from "@vergewis/sdk";
import { atTransactionEnd } from "../db/after-commit.ts";
import { hexList } from "../db/bytea.ts";
import type { Tx } from "../db/client.ts";
import type { AuditEventData, AuditEventType } from "./events.ts";
import { appendLeaves, lockAndReadHead, type TreeHead } from "./tree.ts";

/**
 * A log entry says what changed, about whom (pseudonymous ids only) and when. It never holds
 * identity data, secrets or free text from people: it outlives erasure of personal data.
 */
export interface AuditEventInput<T extends AuditEventType = AuditEventType> {
  type: T;
  platformId?: string;
  publicationId?: string;
  performerPseudonym?: string;
  /** Further facts (events.ts): ids, hashes, statuses. */
  data: AuditEventData[T];
}

export interface AppendedEvent {
  index: bigint;
  leafHash: Uint8Array<ArrayBuffer>;
}

// One log, one writer at a time: appends take this transaction-scoped advisory lock, so that
// leaf indexes stay gapless and ordered even with several server instances on one database.
export const LOG_LOCK = 0x76677773; // "vgws"

/** RFC 9162 §2.1.1: the leaf hash is SHA-256(0x00 || entry). */
export const leafHash = (entry: string) =>
  new Uint8Array(
    createHash("sha256")
      .update(Buffer.from([0]))
      .update(entry, "utf8")
      .digest(),
  );

// The head of the log as the transaction holding the log lock last wrote it: while the lock is
// held nobody else appends, so later appends in the same transaction need neither lock nor read.
const heads = new WeakMap<Tx, TreeHead>();

/**
 * Serialises with every other writer of the log until the transaction ends, and returns the head
 * of the log: one round trip for the transaction's first call, none after.
 */
export async function lockLog(tx: Tx): Promise<TreeHead> {
  let head = heads.get(tx);
  if (!head) heads.set(tx, (head = await lockAndReadHead(tx, LOG_LOCK)));
  return head;
}

// Events recorded in a transaction and not yet written (recordEvent).
const recorded = new WeakMap<Tx, AuditEventInput[]>();

/**
 * Records an event in the caller's transaction, written with every other event recorded in it at
 * the end of the transaction, just before it commits: the log lock is then held for that one write
 * and the commit, not for the rest of the transaction, and other writers of the log wait less. For
 * a transaction that does not read the log or use the entry's index after recording.
 */
export function recordEvent<T extends AuditEventType>(tx: Tx, event: AuditEventInput<T>): void {
  const events = recorded.get(tx);
  if (events) return void events.push(event);
  recorded.set(tx, [event]);
  atTransactionEnd(async () => {
    const left = recorded.get(tx);
    recorded.delete(tx);
    if (left) await appendEvents(tx, left);
  });
}

/**
 * Appends an event inside the caller's transaction: it commits or rolls back with the change.
 * The entry gets the next leaf index and the Merkle tree the nodes it completes (O(log n) work).
 */
export async function appendEvent<T extends AuditEventType>(tx: Tx, event: AuditEventInput<T>): Promise<AppendedEvent> {
  const [appended] = await appendEvents(tx, [event]);
  return appended!;
}

/**
 * Appends events in this order, with consecutive indexes: the first append of a transaction takes
 * the log lock and reads the head (one round trip), then entries and nodes go in one statement.
 */
export async function appendEvents(tx: Tx, appended: AuditEventInput[]): Promise<AppendedEvent[]> {
  // Events recorded earlier in the transaction go first: the log keeps the order of the calls.
  const earlier = recorded.get(tx) ?? [];
  recorded.delete(tx);
  const events = [...earlier, ...appended];
  if (events.length === 0) return [];
  const head = await lockLog(tx);
  const time = new Date();
  const entries = events.map((event) =>
    canonicalJson({
      type: event.type,
      time: time.toISOString(),
      ...(event.platformId && { platform: event.platformId }),
      ...(event.publicationId && { publication: event.publicationId }),
      ...(event.performerPseudonym && { performer: event.performerPseudonym }),
      data: event.data,
    }),
  );
  const hashes = entries.map(leafHash);
  const tree = appendLeaves(head, hashes);
  // The indexed columns are read from the entry: the table's check constraint demands exactly that.
  await tx.$executeRaw`
    WITH events AS (
      INSERT INTO "AuditEvent" ("index", "type", "entry", "leafHash", "platformId", "publicationId", "performerPseudonym", "createdAt")
      SELECT i, j ->> 'type', e, decode(h, 'hex'), (j ->> 'platform')::uuid, (j ->> 'publication')::uuid, j ->> 'performer',
        (j ->> 'time')::timestamptz
      FROM unnest(${entries.map((_, k) => BigInt(head.size + k))}::bigint[], ${entries}::text[], ${hexList(hashes)}::text[])
        AS u(i, e, h)
      CROSS JOIN LATERAL (SELECT e::jsonb AS j) AS parsed
    )
    INSERT INTO "AuditNode" ("level", "index", "hash")
    SELECT l, i, decode(h, 'hex')
    FROM unnest(${tree.nodes.map((n) => n.level)}::smallint[], ${tree.nodes.map((n) => BigInt(n.index))}::bigint[],
      ${hexList(tree.nodes.map((n) => n.hash))}::text[]) AS u(l, i, h)`;
  heads.set(tx, tree.head);
  return hashes.map((hash, k) => ({ index: BigInt(head.size + k), leafHash: hash })).slice(earlier.length);
}

import { createHash } from "node:crypto";
import { canonicalJson } from "@vergewis/sdk";
import { hexList } from "../db/bytea.ts";
import type { Tx } from "../db/client.ts";
import type { Effects, EndWrite, Pending } from "../db/transaction.ts";
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

/** An entry of any type, its `data` checked against that type. */
export type AnyAuditEvent = { [T in AuditEventType]: AuditEventInput<T> }[AuditEventType];

/**
 * The audit log, written at the end of the transaction that declares its entries
 * (`effects.write(auditLog, entry)`), just before the commit: the log lock is then held for that
 * one write and the commit, not for the rest of the transaction, and other writers of the log wait
 * less. It keeps the head of the log as this transaction last wrote it: while the lock is held
 * nobody else appends, so later appends in the same transaction need neither lock nor read.
 */
export const auditLog: EndWrite<AnyAuditEvent, TreeHead> = {
  async write(tx, entries, pending) {
    await writeEntries(tx, entries, pending);
  },
};

/**
 * Serialises with every other writer of the log until the transaction ends, and returns the head
 * of the log: one round trip for the transaction's first call, none after.
 */
export async function lockLog(tx: Tx, effects: Effects): Promise<TreeHead> {
  const pending = effects.pendingFor(auditLog);
  return (pending.kept ??= await lockAndReadHead(tx, LOG_LOCK));
}

/**
 * Appends an entry now rather than at the end of the transaction, for a caller that needs its
 * index (a receipt names it, a checkpoint covers it). Entries declared earlier in the transaction
 * go first: the log keeps the order of the declarations.
 */
export async function appendEvent<T extends AuditEventType>(
  tx: Tx,
  effects: Effects,
  event: AuditEventInput<T>,
): Promise<AppendedEvent> {
  const pending = effects.pendingFor(auditLog);
  const written = await writeEntries(tx, [...pending.items.splice(0), event as AnyAuditEvent], pending);
  return written.at(-1)!;
}

/**
 * Writes entries in this order, with consecutive indexes: the transaction's first write takes the
 * log lock and reads the head (one round trip), then entries and nodes go in one statement. The
 * entry gets the next leaf index and the Merkle tree the nodes it completes (O(log n) work).
 */
async function writeEntries(tx: Tx, events: AnyAuditEvent[], pending: Pending<AnyAuditEvent, TreeHead>) {
  const head = (pending.kept ??= await lockAndReadHead(tx, LOG_LOCK));
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
  pending.kept = tree.head;
  return hashes.map((hash, k): AppendedEvent => ({ index: BigInt(head.size + k), leafHash: hash }));
}

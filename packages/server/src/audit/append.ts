import { createHash } from "node:crypto";
import { canonicalJson } from "@vergewis/sdk";
import type { Tx } from "../db/client.ts";
import type { AuditEventData, AuditEventType } from "./events.ts";
import { nodesCompletedBy } from "./tree.ts";

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

/** Serialises with every other writer of the log until the transaction ends. */
export const lockLog = (tx: Tx) => tx.$executeRaw`SELECT pg_advisory_xact_lock(${LOG_LOCK}::bigint)`;

/** RFC 9162 §2.1.1: the leaf hash is SHA-256(0x00 || entry). */
export const leafHash = (entry: string) =>
  new Uint8Array(
    createHash("sha256")
      .update(Buffer.from([0]))
      .update(entry, "utf8")
      .digest(),
  );

/**
 * Appends an event inside the caller's transaction: it commits or rolls back with the change.
 * The entry gets the next leaf index and the Merkle tree the nodes it completes (O(log n) work).
 */
export async function appendEvent<T extends AuditEventType>(tx: Tx, event: AuditEventInput<T>): Promise<AppendedEvent> {
  await lockLog(tx);
  const last = await tx.auditEvent.findFirst({ orderBy: { index: "desc" }, select: { index: true } });
  const index = last ? last.index + 1n : 0n;
  const time = new Date();
  const entry = canonicalJson({
    type: event.type,
    time: time.toISOString(),
    ...(event.platformId && { platform: event.platformId }),
    ...(event.publicationId && { publication: event.publicationId }),
    ...(event.performerPseudonym && { performer: event.performerPseudonym }),
    data: event.data,
  });
  const hash = leafHash(entry);
  await tx.auditEvent.create({
    data: {
      index,
      type: event.type,
      entry,
      leafHash: hash,
      platformId: event.platformId ?? null,
      publicationId: event.publicationId ?? null,
      performerPseudonym: event.performerPseudonym ?? null,
      createdAt: time,
    },
  });
  await tx.auditNode.createMany({ data: await nodesCompletedBy(tx, Number(index), hash) });
  return { index, leafHash: hash };
}

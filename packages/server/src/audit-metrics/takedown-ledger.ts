import type { Db } from "../db/client.ts";
import { eventBatches } from "../audit/query.ts";
import { parseEntry } from "../audit/resource.ts";
import { TAKEDOWN_ACKNOWLEDGED, TAKEDOWN_REQUESTED } from "./catalogue.ts";

/** Where a figure comes from: a leaf of the log. */
export interface LogPosition {
  index: number;
  time: string;
}

export interface TakedownFact {
  takedownId: string;
  platformId: string | null;
  publicationId: string | null;
  reason: string;
  requested: LogPosition;
  dueAt: string;
  acknowledged: (LogPosition & { removedAt: string }) | null;
}

/**
 * Every takedown the log records, with its acknowledgement, kept in the process and brought up to
 * a tree size by reading only the entries appended since the last call: the log is append-only,
 * so what its first n entries say never changes. Metrics and reports are asked for often (the
 * auditor console, dashboards polling), and reading every takedown of the period at each call
 * made them cost more the longer the log. Takedowns are rare next to the entries around them; a
 * fact takes a few hundred bytes.
 *
 * Should the log be changed behind the server's back (it then no longer verifies), the last leaf
 * read no longer matches and the ledger is read again from the start.
 */
export class TakedownLedger {
  /** The log size read so far, and the hash of its last leaf. */
  #size = 0;
  #lastLeaf: Buffer | undefined;
  /** By takedown id, in log order. */
  readonly #facts = new Map<string, TakedownFact>();
  #reading: Promise<void> = Promise.resolve();

  /** The takedowns as of `treeSize`: requested below it, acknowledged only by an entry below it. */
  async at(db: Db, treeSize: number): Promise<TakedownFact[]> {
    const reading = this.#reading.catch(() => {}).then(() => this.#readUpTo(db, treeSize));
    this.#reading = reading;
    await reading;
    const facts: TakedownFact[] = [];
    for (const fact of this.#facts.values()) {
      if (fact.requested.index >= treeSize) break;
      facts.push(fact.acknowledged && fact.acknowledged.index >= treeSize ? { ...fact, acknowledged: null } : fact);
    }
    return facts;
  }

  async #readUpTo(db: Db, treeSize: number): Promise<void> {
    const ends = [this.#size - 1, treeSize - 1].filter((index) => index >= 0).map(BigInt);
    const leaves = new Map(
      (await db.auditEvent.findMany({ where: { index: { in: ends } }, select: { index: true, leafHash: true } })).map(
        (row) => [Number(row.index), Buffer.from(row.leafHash)],
      ),
    );
    if (this.#size > 0 && !this.#lastLeaf!.equals(leaves.get(this.#size - 1) ?? Buffer.alloc(0))) {
      this.#size = 0;
      this.#facts.clear();
    }
    if (treeSize <= this.#size) return;
    const where = {
      type: { in: [TAKEDOWN_REQUESTED, TAKEDOWN_ACKNOWLEDGED] },
      index: { gte: this.#size, lt: treeSize },
    };
    for await (const batch of eventBatches(db, where)) {
      for (const row of batch) this.#apply(Number(row.index), parseEntry(row.entry));
    }
    const last = leaves.get(treeSize - 1);
    if (!last) throw new Error(`audit log entry ${treeSize - 1} is missing`);
    this.#size = treeSize;
    this.#lastLeaf = last;
  }

  #apply(index: number, entry: ReturnType<typeof parseEntry>): void {
    if (entry.type === TAKEDOWN_REQUESTED) {
      const data = entry.data as { takedownId: string; reason: string; dueAt: string };
      this.#facts.set(data.takedownId, {
        takedownId: data.takedownId,
        platformId: entry.platform ?? null,
        publicationId: entry.publication ?? null,
        reason: data.reason,
        requested: { index, time: entry.time },
        dueAt: data.dueAt,
        acknowledged: null,
      });
      return;
    }
    const data = entry.data as { takedownId: string; removedAt: string };
    const takedown = this.#facts.get(data.takedownId);
    // The first acknowledgement counts: a takedown is removed once. A new object, as callers may
    // still hold the one they were given.
    if (takedown && !takedown.acknowledged) {
      this.#facts.set(takedown.takedownId, {
        ...takedown,
        acknowledged: { index, time: entry.time, removedAt: data.removedAt },
      });
    }
  }
}

import type { Db, Tx } from "./client.ts";

/**
 * Something changed: told, once the transaction that changed it commits, to this process
 * (`receive`) and to other instances by PostgreSQL NOTIFY on `channel` (which PostgreSQL, too,
 * delivers only on commit). NOTIFY is left out when no other process uses the database (the
 * embedded one), where nobody could listen.
 */
export interface Signal {
  readonly channel: string;
  readonly payload: string;
  receive(): void;
  /**
   * Received at once as well: for caches, so that a value loaded while the change is being made is
   * not taken for current either.
   */
  readonly alsoAtOnce?: boolean;
}

/**
 * A kind of write a transaction leaves to its very end (the audit log): `write` gets the items
 * declared for it, in the order of the declarations, after the transaction's callback has
 * returned and the signals' NOTIFY has gone, just before the commit: for a write that takes a lock
 * many transactions contend for, so that the lock is held for the last moments only.
 */
export interface EndWrite<T, Kept = never> {
  write(tx: Tx, items: T[], pending: Pending<T, Kept>): Promise<void>;
}

/** The items declared for one EndWrite and not yet written, and what it keeps between its writes. */
export interface Pending<T, Kept> {
  items: T[];
  kept?: Kept;
}

/**
 * What a transaction does besides its own statements, declared where it happens and carried out
 * in one place (`runTransaction`): writes left to its end, and signals sent once it commits.
 */
export class Effects {
  readonly #pending = new Map<EndWrite<unknown, unknown>, Pending<unknown, unknown>>();
  readonly #signals: Signal[] = [];
  #ended = false;

  /** Declares `item`, for `to` to write at the end of the transaction. */
  write<T, Kept>(to: EndWrite<T, Kept>, item: T): void {
    this.pendingFor(to).items.push(item);
  }

  /** Declares a signal: received and notified once the transaction commits, never if it rolls back. */
  signal(signal: Signal): void {
    this.#assertOpen();
    if (signal.alsoAtOnce) signal.receive();
    this.#signals.push(signal);
  }

  /**
   * What is pending for `to`, for a caller that writes it before the end (an audit entry whose
   * index the caller needs): the caller takes the items it writes.
   */
  pendingFor<T, Kept>(to: EndWrite<T, Kept>): Pending<T, Kept> {
    this.#assertOpen();
    let pending = this.#pending.get(to as EndWrite<unknown, unknown>);
    if (!pending) this.#pending.set(to as EndWrite<unknown, unknown>, (pending = { items: [] }));
    return pending as Pending<T, Kept>;
  }

  /** Before the commit: the NOTIFYs, then the writes left to the end. */
  async end(tx: Tx, shared: boolean): Promise<void> {
    await this.#notify(tx, shared);
    for (const [writer, pending] of this.#pending) {
      if (pending.items.length > 0) await writer.write(tx, pending.items.splice(0), pending);
    }
    this.#ended = true;
  }

  /** After the commit. */
  committed(): void {
    for (const signal of this.#signals) signal.receive();
  }

  async #notify(tx: Tx, shared: boolean): Promise<void> {
    if (!shared || this.#signals.length === 0) return;
    const channels = this.#signals.map((s) => s.channel);
    const payloads = this.#signals.map((s) => s.payload);
    await tx.$executeRaw`SELECT pg_notify(c, p) FROM unnest(${channels}::text[], ${payloads}::text[]) AS u(c, p)`;
  }

  #assertOpen(): void {
    if (this.#ended) throw new Error("effects declared after their transaction ended");
  }
}

/**
 * Runs `work` in one interactive transaction and carries out the effects it declared: the writes
 * left to the end just before the commit, the signals once it has committed. Nothing of them
 * happens when it rolls back.
 */
export async function runTransaction<T>(
  db: Db,
  work: (tx: Tx, effects: Effects) => Promise<T>,
  options?: { maxWait?: number; timeout?: number },
): Promise<T> {
  const effects = new Effects();
  const result = await db.$transaction(async (tx) => {
    const result = await work(tx, effects);
    await effects.end(tx, db.shared);
    return result;
  }, options);
  effects.committed();
  return result;
}

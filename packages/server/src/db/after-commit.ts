import { AsyncLocalStorage } from "node:async_hooks";
import type { Tx } from "./client.ts";
import type { PrismaClient } from "./generated/client.ts";

interface TransactionContext {
  hooks: Array<() => void>;
  /** Writes left to the end of the transaction: run after its callback, before the commit. */
  last: Array<() => Promise<void>>;
  /** Other processes may use the database (PostgreSQL), so changes are announced to them too. */
  shared: boolean;
}

const pending = new AsyncLocalStorage<TransactionContext>();

/**
 * Runs `fn` once the interactive transaction it is called in has committed, and never if it rolls
 * back. Outside such a transaction it runs at once. For cheap in-process signals (wake the outbox
 * worker): what must not be lost is written in the transaction itself.
 */
export function afterCommit(fn: () => void): void {
  const context = pending.getStore();
  if (context) context.hooks.push(fn);
  else fn();
}

/**
 * Runs `write` at the end of the interactive transaction it is called in, after the callback has
 * returned and before the commit (in the order registered): for a write that takes a lock many
 * transactions contend for, so that the lock is held for the last moments only. Throws outside
 * such a transaction.
 */
export function atTransactionEnd(write: () => Promise<void>): void {
  const context = pending.getStore();
  if (!context) throw new Error("atTransactionEnd needs an interactive transaction of a client from createDb");
  context.last.push(write);
}

/**
 * PostgreSQL NOTIFY on `channel`, delivered to other instances when the transaction commits; left
 * out when no other process uses the database (the embedded one), where nobody could listen.
 */
export async function notifyOtherInstances(tx: Tx, channel: string, payload = ""): Promise<void> {
  if (pending.getStore()?.shared === false) return;
  await tx.$executeRaw`SELECT pg_notify(${channel}, ${payload})`;
}

/**
 * Wraps a client so that `$transaction(async (tx) => …)` runs the `afterCommit` hooks registered
 * inside; `shared` says whether other processes may use the same database.
 */
export function withAfterCommit(client: PrismaClient, options: { shared: boolean }): PrismaClient {
  const bound = new Map<PropertyKey, unknown>();
  const transaction = client.$transaction.bind(client) as (...args: unknown[]) => Promise<unknown>;
  const wrapped = async (first: unknown, ...rest: unknown[]) => {
    if (typeof first !== "function") return transaction(first, ...rest);
    const context: TransactionContext = { hooks: [], last: [], shared: options.shared };
    const callback = first as (tx: unknown) => Promise<unknown>;
    const run = async (tx: unknown) => {
      const result = await callback(tx);
      for (const write of context.last) await write();
      return result;
    };
    const result = await pending.run(context, () => transaction(run, ...rest));
    for (const hook of context.hooks) hook();
    return result;
  };
  return new Proxy(client, {
    get(target, property) {
      if (property === "$transaction") return wrapped;
      const value: unknown = Reflect.get(target, property, target);
      if (typeof value !== "function") return value;
      if (!bound.has(property)) bound.set(property, (value as (...args: unknown[]) => unknown).bind(target));
      return bound.get(property);
    },
  });
}

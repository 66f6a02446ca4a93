import { AsyncLocalStorage } from "node:async_hooks";
import type { PrismaClient } from "./generated/client.ts";

const pending = new AsyncLocalStorage<Array<() => void>>();

/**
 * Runs `fn` once the interactive transaction it is called in has committed, and never if it rolls
 * back. Outside such a transaction it runs at once. For cheap in-process signals (wake the outbox
 * worker): what must not be lost is written in the transaction itself.
 */
export function afterCommit(fn: () => void): void {
  const hooks = pending.getStore();
  if (hooks) hooks.push(fn);
  else fn();
}

/** Wraps a client so that `$transaction(async (tx) => …)` runs the `afterCommit` hooks registered inside. */
export function withAfterCommit(client: PrismaClient): PrismaClient {
  const bound = new Map<PropertyKey, unknown>();
  const transaction = client.$transaction.bind(client) as (...args: unknown[]) => Promise<unknown>;
  const wrapped = async (first: unknown, ...rest: unknown[]) => {
    if (typeof first !== "function") return transaction(first, ...rest);
    const hooks: Array<() => void> = [];
    const result = await pending.run(hooks, () => transaction(first, ...rest));
    for (const hook of hooks) hook();
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

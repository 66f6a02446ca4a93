import { afterCommit, notifyOtherInstances } from "../db/after-commit.ts";
import type { Tx } from "../db/client.ts";

/** The PostgreSQL NOTIFY channel on which commits that queued deliveries wake other instances. */
export const OUTBOX_CHANNEL = "vergewis_outbox";

const listeners = new Set<() => void>();

/** Delivery workers of this process listen here. */
export function onDeliveriesQueued(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/**
 * Wakes delivery workers once the transaction commits, so that new deliveries go out at once
 * rather than at the next poll: this process's workers in-process, other instances by NOTIFY
 * (which PostgreSQL, too, delivers only on commit).
 */
export async function announceDeliveries(tx: Tx): Promise<void> {
  await notifyOtherInstances(tx, OUTBOX_CHANNEL);
  afterCommit(() => {
    for (const listener of listeners) listener();
  });
}

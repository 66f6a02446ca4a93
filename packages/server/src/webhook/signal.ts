import type { Signal } from "../db/transaction.ts";

/** The PostgreSQL NOTIFY channel on which commits that queued deliveries signal other instances. */
export const DELIVERY_CHANNEL = "vergewis_outbox";

const receivers = new Set<() => void>();

/** Delivery workers of this process receive the delivery signal here. */
export function onDeliverySignal(receive: () => void): () => void {
  receivers.add(receive);
  return () => receivers.delete(receive);
}

/**
 * Deliveries were queued: delivery workers look for them at once rather than at the next poll,
 * this process's in-process, other instances' by NOTIFY.
 */
export const deliverySignal: Signal = {
  channel: DELIVERY_CHANNEL,
  payload: "",
  receive() {
    for (const receive of receivers) receive();
  },
};

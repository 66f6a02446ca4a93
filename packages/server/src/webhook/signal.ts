import { wakeSignal } from "../db/wake-signal.ts";

/** The PostgreSQL NOTIFY channel on which commits that queued deliveries signal other instances. */
export const DELIVERY_CHANNEL = "vergewis_outbox";

const delivery = wakeSignal(DELIVERY_CHANNEL);

/**
 * Deliveries were queued: delivery workers look for them at once rather than at the next poll,
 * this process's in-process, other instances' by NOTIFY.
 */
export const deliverySignal = delivery.signal;

/** Delivery workers of this process receive the delivery signal here. */
export const onDeliverySignal = delivery.on;

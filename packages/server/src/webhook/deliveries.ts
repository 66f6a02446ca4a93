import type { DeliveryList, deliveryListQuerySchema, WebhookDeliveryDetail, WebhookDelivery } from "@vergewis/sdk";
import type { z } from "zod";
import { auditLog } from "../audit/append.ts";
import type { Db, Tx } from "../db/client.ts";
import type { Effects } from "../db/transaction.ts";
import { idCursor, keysetPage } from "../db/keyset.ts";
import { ConflictError, NotFoundError } from "../errors.ts";
import { deliveryMachine } from "./delivery-state.ts";
import { assertEndpointEnabled } from "./endpoints.ts";
import { deliverySelect, toDeliveryResource } from "./resource.ts";
import { deliverySignal } from "./signal.ts";

const DEFAULT_LIMIT = 25;

/** Newest first. */
export async function listDeliveries(
  db: Db,
  platformId: string,
  query: z.output<typeof deliveryListQuerySchema>,
): Promise<DeliveryList> {
  const { rows, nextCursor } = await keysetPage(query, {
    cursor: idCursor,
    defaultLimit: DEFAULT_LIMIT,
    fetch: (after, take) =>
      db.webhookDelivery.findMany({
        where: {
          platformId,
          ...(query.status !== undefined && { status: query.status }),
          ...(query.endpointId !== undefined && { endpointId: query.endpointId }),
          ...(query.eventId !== undefined && { messageId: query.eventId }),
          ...(query.eventType !== undefined && { message: { type: query.eventType } }),
          ...(after !== undefined && { id: { lt: after } }),
        },
        orderBy: { id: "desc" },
        take,
        select: deliverySelect,
      }),
    position: (row) => row.id,
  });
  return { items: rows.map(toDeliveryResource), nextCursor };
}

export async function getDelivery(db: Db | Tx, platformId: string, id: string): Promise<WebhookDeliveryDetail> {
  const row = await db.webhookDelivery.findFirst({
    where: { id, platformId },
    select: { ...deliverySelect, attemptLog: { orderBy: { id: "asc" } } },
  });
  if (!row) throw new NotFoundError("webhook delivery");
  return {
    ...toDeliveryResource(row),
    attemptLog: row.attemptLog.map((a) => ({
      attempt: a.attempt,
      startedAt: a.startedAt.toISOString(),
      durationMs: a.durationMs,
      responseStatus: a.responseStatus,
      error: a.error,
    })),
  };
}

// A redelivery starts over: a new retry window, attempts counted afresh, the same webhook-id.
const requeue = (now: Date) => ({
  status: "pending" as const,
  attempts: 0,
  queuedAt: now,
  nextAttemptAt: now,
  deliveredAt: null,
  deadAt: null,
});

/** Sends a delivered or dead-lettered event to its endpoint again, with the same `webhook-id`. */
export async function redeliver(tx: Tx, effects: Effects, platformId: string, id: string): Promise<WebhookDelivery> {
  const delivery = await tx.webhookDelivery.findFirst({
    where: { id, platformId },
    select: { status: true, endpointId: true, messageId: true },
  });
  if (!delivery) throw new NotFoundError("webhook delivery");
  if (!deliveryMachine.can(delivery.status, "pending")) {
    throw new ConflictError("delivery_in_progress", "The delivery is still being attempted; wait for it to finish.");
  }
  await assertEndpointEnabled(tx, platformId, delivery.endpointId);
  const { count } = await tx.webhookDelivery.updateMany({
    where: { id, status: delivery.status },
    data: requeue(new Date()),
  });
  if (count !== 1) throw new ConflictError("concurrent_change", "The delivery changed meanwhile; try again.");
  effects.write(auditLog, {
    type: "webhook.redelivery_requested",
    platformId,
    data: { deliveryId: id, eventId: delivery.messageId },
  });
  effects.signal(deliverySignal);
  const row = await tx.webhookDelivery.findUniqueOrThrow({ where: { id }, select: deliverySelect });
  return toDeliveryResource(row);
}

/** Requeues every dead delivery of an endpoint (since `since`), e.g. after an outage. */
export async function recoverEndpoint(
  tx: Tx,
  effects: Effects,
  platformId: string,
  endpointId: string,
  since?: Date,
): Promise<number> {
  await assertEndpointEnabled(tx, platformId, endpointId);
  const dead = await tx.webhookDelivery.findMany({
    where: { endpointId, platformId, status: "dead", ...(since && { createdAt: { gte: since } }) },
    select: { id: true, messageId: true },
  });
  if (dead.length === 0) return 0;
  await tx.webhookDelivery.updateMany({
    where: { id: { in: dead.map((d) => d.id) }, status: "dead" },
    data: requeue(new Date()),
  });
  for (const delivery of dead) {
    effects.write(auditLog, {
      type: "webhook.redelivery_requested",
      platformId,
      data: { deliveryId: delivery.id, eventId: delivery.messageId },
    });
  }
  effects.signal(deliverySignal);
  return dead.length;
}

import { webhookEvents, type WebhookEventDataInput, type WebhookEventType } from "@vergewis/sdk";
import type { Tx } from "../db/client.ts";
import { uuidv7 } from "../db/uuid.ts";
import type { Effects } from "../db/transaction.ts";
import { MAX_ENDPOINTS } from "./limits.ts";
import { deliverySignal } from "./signal.ts";

export interface OutboxEvent<T extends WebhookEventType> {
  platformId: string;
  type: T;
  /** The event's `data`, checked against its schema in @vergewis/sdk. */
  payload: WebhookEventDataInput[T];
}

/**
 * Transactional outbox: an event for a platform is written in the same transaction as the change
 * it announces, so it exists if and only if the change committed, with one delivery for each of
 * the platform's endpoints that subscribe to its type. The delivery worker sends them; the platform
 * can also poll the events (`GET /v1/events`). When it queued deliveries, the transaction signals
 * the delivery workers.
 */
export async function enqueueEvent<T extends WebhookEventType>(
  tx: Tx,
  effects: Effects,
  event: OutboxEvent<T>,
): Promise<string> {
  // A payload that breaks its schema is a bug here, not bad input: fail the transaction.
  const data = webhookEvents[event.type].data.parse(event.payload);
  const message = { id: uuidv7(), createdAt: new Date() };
  // Delivery ids made here (uuidv7, in time order), one per endpoint a platform may have. Endpoints
  // beyond the cap (only manual SQL could add them) get a random id rather than fail the change.
  const deliveryIds = Array.from({ length: MAX_ENDPOINTS }, () => uuidv7());
  // The message and one delivery per endpoint that subscribes to its type, in one round trip.
  const [{ deliveries }] = await tx.$queryRaw<[{ deliveries: number }]>`
    WITH message AS (
      INSERT INTO "OutboxMessage" ("id", "platformId", "type", "payload", "createdAt")
      VALUES (${message.id}::uuid, ${event.platformId}::uuid, ${event.type}, ${JSON.stringify(data)}::jsonb, ${message.createdAt})
      RETURNING "id", "platformId", "createdAt"
    ), endpoints AS (
      SELECT e.id, row_number() OVER (ORDER BY e.id) AS n FROM message m
      JOIN "WebhookEndpoint" e ON e."platformId" = m."platformId"
      WHERE e."deletedAt" IS NULL AND e."disabledAt" IS NULL
        AND (cardinality(e."eventTypes") = 0 OR ${event.type} = ANY(e."eventTypes"))
    ), inserted AS (
      INSERT INTO "WebhookDelivery" ("id", "messageId", "endpointId", "platformId", "queuedAt", "nextAttemptAt")
      SELECT coalesce((${deliveryIds}::uuid[])[e.n], gen_random_uuid()), m.id, e.id, m."platformId", m."createdAt",
        m."createdAt"
      FROM message m, endpoints e
      RETURNING 1
    )
    SELECT count(*)::int AS deliveries FROM inserted`;
  if (deliveries > 0) effects.signal(deliverySignal);
  return message.id;
}

import { webhookEvents, type WebhookEventDataInput, type WebhookEventType } from "@vergewis/sdk";
import type { Tx } from "../db/client.ts";
import { uuidv7 } from "../db/uuid.ts";
import { announceDeliveries } from "../webhook/signal.ts";

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
 * can also poll the events (`GET /v1/events`).
 */
export async function enqueueEvent<T extends WebhookEventType>(tx: Tx, event: OutboxEvent<T>): Promise<string> {
  // A payload that breaks its schema is a bug here, not bad input: fail the transaction.
  const data = webhookEvents[event.type].data.parse(event.payload);
  const message = { id: uuidv7(), createdAt: new Date() };
  // The message and the endpoints that subscribe to its type, in one round trip.
  const endpoints = await tx.$queryRaw<Array<{ id: string }>>`
    WITH message AS (
      INSERT INTO "OutboxMessage" ("id", "platformId", "type", "payload", "createdAt")
      VALUES (${message.id}::uuid, ${event.platformId}::uuid, ${event.type}, ${JSON.stringify(data)}::jsonb, ${message.createdAt})
      RETURNING "platformId"
    )
    SELECT e.id::text FROM message m
    JOIN "WebhookEndpoint" e ON e."platformId" = m."platformId"
    WHERE e."deletedAt" IS NULL AND e."disabledAt" IS NULL
      AND (cardinality(e."eventTypes") = 0 OR ${event.type} = ANY(e."eventTypes"))`;
  if (endpoints.length > 0) {
    await tx.webhookDelivery.createMany({
      data: endpoints.map((endpoint) => ({
        messageId: message.id,
        endpointId: endpoint.id,
        platformId: event.platformId,
        queuedAt: message.createdAt,
        nextAttemptAt: message.createdAt,
      })),
    });
    await announceDeliveries(tx);
  }
  return message.id;
}

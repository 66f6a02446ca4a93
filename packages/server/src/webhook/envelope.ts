import { webhookEvents, type WebhookEventType } from "@vergewis/sdk";

export interface StoredEvent {
  id: string;
  type: string;
  payload: unknown;
  createdAt: Date;
}

/**
 * An outbox message as the platform receives it, by webhook or from `GET /v1/events` (the SDK's
 * `webhookEventSchema`): Standard Webhooks' `type`, `timestamp` and `data`, plus `id` and `version`.
 */
export function toEvent(message: StoredEvent) {
  return {
    id: message.id,
    type: message.type,
    version: webhookEvents[message.type as WebhookEventType].version,
    timestamp: message.createdAt.toISOString(),
    data: message.payload,
  };
}

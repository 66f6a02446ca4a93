import { z } from "zod";
import { instantSchema } from "./scope.ts";
import { text } from "./text.ts";
import { WEBHOOK_EVENT_TYPES } from "./webhook-event.ts";

const eventTypes = z
  .array(z.enum(WEBHOOK_EVENT_TYPES))
  .max(WEBHOOK_EVENT_TYPES.length)
  .transform((types) => [...new Set(types)].sort());

export const webhookEndpointRequestSchema = z.strictObject({
  /**
   * Where events are POSTed. https only; a development server also accepts http on the loopback
   * address (127.0.0.1, ::1, localhost).
   */
  url: z.url({ protocol: /^https?$/, error: "must be an http(s) URL" }).max(2048),
  description: text(1, 200).optional(),
  /** The event types to send here; omitted or empty: all of them, including types added later. */
  eventTypes: eventTypes.optional(),
});
export type WebhookEndpointRequest = z.input<typeof webhookEndpointRequestSchema>;

export const WEBHOOK_ENDPOINT_STATUSES = ["enabled", "disabled"] as const;

export const webhookEndpointSchema = z.object({
  id: z.uuid(),
  url: z.string(),
  description: z.string().nullable(),
  /** Empty: every event type. */
  eventTypes: z.array(z.enum(WEBHOOK_EVENT_TYPES)),
  /** `disabled` after the receiver answered 410 Gone; enable it again when it is back. */
  status: z.enum(WEBHOOK_ENDPOINT_STATUSES),
  disabledReason: z.string().nullable(),
  /** While set, deliveries carry a signature with the previous secret too. */
  previousSecretExpiresAt: instantSchema.nullable(),
  createdAt: instantSchema,
});
export type WebhookEndpoint = z.output<typeof webhookEndpointSchema>;

/** Creation and rotation answer with the signing secret: store it, it is shown only then. */
export const webhookEndpointWithSecretSchema = webhookEndpointSchema.extend({
  /** Standard Webhooks secret: `whsec_` + base64 of 32 random bytes. */
  secret: z.string().regex(/^whsec_[A-Za-z0-9+/]+={0,2}$/),
});
export type WebhookEndpointWithSecret = z.output<typeof webhookEndpointWithSecretSchema>;

export const webhookEndpointListSchema = z.object({ items: z.array(webhookEndpointSchema) });
export type WebhookEndpointList = z.output<typeof webhookEndpointListSchema>;

const MAX_SECRET_OVERLAP_SECONDS = 7 * 86_400;

export const rotateSecretRequestSchema = z.strictObject({
  /**
   * How long deliveries stay signed with the old secret as well (default 24 hours; 0 retires it
   * at once). Deploy the new secret to your receivers within this window.
   */
  overlapSeconds: z.number().int().min(0).max(MAX_SECRET_OVERLAP_SECONDS).optional(),
});
export type RotateSecretRequest = z.input<typeof rotateSecretRequestSchema>;

/**
 * `pending`: not sent yet, or being sent; `retrying`: an attempt failed and another is scheduled;
 * `delivered`: the receiver answered 2xx; `dead`: retries ran out, or the endpoint was disabled or
 * deleted. Dead deliveries stay listed and can be redelivered.
 */
export const DELIVERY_STATUSES = ["pending", "retrying", "delivered", "dead"] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

export const deliveryAttemptSchema = z.object({
  attempt: z.number().int(),
  startedAt: instantSchema,
  durationMs: z.number().int(),
  /** The receiver's HTTP status; null when no response came (refused, timed out). */
  responseStatus: z.number().int().nullable(),
  error: z.string().nullable(),
});
export type DeliveryAttempt = z.output<typeof deliveryAttemptSchema>;

export const webhookDeliverySchema = z.object({
  id: z.uuid(),
  /** The event, and the `webhook-id` the receiver saw. */
  eventId: z.uuid(),
  eventType: z.enum(WEBHOOK_EVENT_TYPES),
  endpointId: z.uuid(),
  status: z.enum(DELIVERY_STATUSES),
  attempts: z.number().int(),
  /** When the next attempt is due; null once delivered or dead. */
  nextAttemptAt: instantSchema.nullable(),
  lastAttemptAt: instantSchema.nullable(),
  lastResponseStatus: z.number().int().nullable(),
  lastError: z.string().nullable(),
  deliveredAt: instantSchema.nullable(),
  createdAt: instantSchema,
});
export type WebhookDelivery = z.output<typeof webhookDeliverySchema>;

export const webhookDeliveryDetailSchema = webhookDeliverySchema.extend({
  attemptLog: z.array(deliveryAttemptSchema),
});
export type WebhookDeliveryDetail = z.output<typeof webhookDeliveryDetailSchema>;

export const deliveryListQuerySchema = z.strictObject({
  status: z.enum(DELIVERY_STATUSES).optional(),
  endpointId: z.uuid().optional(),
  eventId: z.uuid().optional(),
  eventType: z.enum(WEBHOOK_EVENT_TYPES).optional(),
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(100).optional(),
});
export type DeliveryListQuery = z.input<typeof deliveryListQuerySchema>;

export const deliveryListSchema = z.object({
  items: z.array(webhookDeliverySchema),
  nextCursor: z.string().nullable(),
});
export type DeliveryList = z.output<typeof deliveryListSchema>;

/** After an outage: send again every dead delivery of the endpoint, since `since` (default: all). */
export const recoverRequestSchema = z.strictObject({ since: instantSchema.optional() });
export type RecoverRequest = z.input<typeof recoverRequestSchema>;

export const recoverResultSchema = z.object({ redelivered: z.number().int() });
export type RecoverResult = z.output<typeof recoverResultSchema>;

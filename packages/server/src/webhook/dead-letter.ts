import { auditLog } from "../audit/append.ts";
import type { Tx } from "../db/client.ts";
import type { Effects } from "../db/transaction.ts";

export type DeadLetterCause = "retries_exhausted" | "endpoint_disabled" | "endpoint_deleted";

const REASONS: Record<DeadLetterCause, string> = {
  retries_exhausted: "retries exhausted",
  endpoint_disabled: "endpoint disabled",
  endpoint_deleted: "endpoint deleted",
};

/**
 * Dead-letters every delivery still queued for an endpoint that was disabled or deleted: nothing
 * more is sent there, and each event that did not arrive stays listed (and in the audit log).
 */
export async function deadLetterEndpoint(
  tx: Tx,
  effects: Effects,
  endpointId: string,
  cause: DeadLetterCause,
  now = new Date(),
): Promise<number> {
  const queued = await tx.webhookDelivery.findMany({
    where: { endpointId, status: { in: ["pending", "retrying"] } },
    select: { id: true, attempts: true, platformId: true, message: { select: { id: true, type: true } } },
  });
  if (queued.length === 0) return 0;
  await tx.webhookDelivery.updateMany({
    where: { id: { in: queued.map((d) => d.id) }, status: { in: ["pending", "retrying"] } },
    data: { status: "dead", deadAt: now, nextAttemptAt: null, lastError: REASONS[cause] },
  });
  for (const delivery of queued) {
    auditDeadLetter(
      effects,
      { ...delivery, endpointId, eventId: delivery.message.id, eventType: delivery.message.type },
      cause,
    );
  }
  return queued.length;
}

export function auditDeadLetter(
  effects: Effects,
  delivery: {
    id: string;
    platformId: string;
    endpointId: string;
    eventId: string;
    eventType: string;
    attempts: number;
  },
  cause: DeadLetterCause,
) {
  effects.write(auditLog, {
    type: "webhook.dead_lettered",
    platformId: delivery.platformId,
    data: {
      deliveryId: delivery.id,
      eventId: delivery.eventId,
      eventType: delivery.eventType,
      endpointId: delivery.endpointId,
      attempts: delivery.attempts,
      cause,
    },
  });
}

export const deadLetterReason = (cause: DeadLetterCause) => REASONS[cause];

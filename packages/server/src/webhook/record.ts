import type { DeliveryStatus } from "@vergewis/sdk";
import { auditLog } from "../audit/append.ts";
import type { Db } from "../db/client.ts";
import { runTransaction } from "../db/transaction.ts";
import type { ClaimedDelivery } from "./claim.ts";
import { auditDeadLetter, deadLetterEndpoint, deadLetterReason, type DeadLetterCause } from "./dead-letter.ts";
import { deliveryMachine } from "./delivery-state.ts";
import { nextAttemptAt, type RetryPolicy } from "./retry.ts";
import type { SendResult } from "./send.ts";

export type Outcome =
  | { kind: "sent"; result: SendResult; startedAt: Date; durationMs: number }
  /** Not sent: the endpoint was deleted or disabled after the event was queued. */
  | { kind: "endpoint_gone"; cause: Extract<DeadLetterCause, "endpoint_deleted" | "endpoint_disabled"> };

const GONE = 410;
const isSuccess = (status: number | undefined) => status !== undefined && status >= 200 && status < 300;

/**
 * Records an attempt and moves the delivery on: delivered (2xx), retried later, or dead-lettered
 * (retries exhausted; or 410 Gone, which also disables the endpoint). Every update is fenced on
 * the attempt count of the claim: if the lease ran out and another worker took the delivery over,
 * this stale result changes nothing (the attempt is still logged) and the answer is undefined.
 */
export async function recordOutcome(
  db: Db,
  delivery: ClaimedDelivery,
  outcome: Outcome,
  retry: RetryPolicy,
): Promise<DeliveryStatus | undefined> {
  const now = new Date();
  if (outcome.kind === "sent") {
    const { status } = outcome.result;
    if (isSuccess(status)) return recordAttempt(db, delivery, outcome, "delivered", now);
    if (status !== GONE) {
      const next = nextAttemptAt(retry, delivery.attempts, delivery.queuedAt, outcome.startedAt, now);
      if (next) return recordAttempt(db, delivery, outcome, "retrying", now, next);
    }
  }
  return deadLetter(db, delivery, outcome, now);
}

/**
 * The common outcomes (delivered, retry later) in one statement: the attempt logged and the
 * delivery moved together, without the round trips of an interactive transaction.
 */
async function recordAttempt(
  db: Db,
  delivery: ClaimedDelivery,
  outcome: Extract<Outcome, { kind: "sent" }>,
  to: "delivered" | "retrying",
  now: Date,
  next?: Date,
): Promise<DeliveryStatus | undefined> {
  deliveryMachine.assert(delivery.status, to);
  const { status, error } = outcome.result;
  const lastError = error ?? (to === "delivered" ? null : `HTTP ${status}`);
  const [result] = await db.$queryRaw<Array<{ moved: number }>>`
    WITH moved AS (
      UPDATE "WebhookDelivery"
      SET status = ${to}::"DeliveryStatus", "lastResponseStatus" = ${status ?? null}::int, "lastError" = ${lastError}::text,
        "deliveredAt" = ${to === "delivered" ? now : null}::timestamptz, "nextAttemptAt" = ${next ?? null}::timestamptz
      WHERE id = ${delivery.id}::uuid AND attempts = ${delivery.attempts} AND status = ${delivery.status}::"DeliveryStatus"
      RETURNING 1
    ), logged AS (
      INSERT INTO "WebhookAttempt" ("deliveryId", attempt, "startedAt", "durationMs", "responseStatus", error)
      VALUES (${delivery.id}::uuid, ${delivery.attempts}, ${outcome.startedAt}::timestamptz,
        ${Math.round(outcome.durationMs)}, ${status ?? null}::int, ${error ?? null}::text)
    )
    SELECT count(*)::int AS moved FROM moved`;
  return result?.moved === 1 ? to : undefined;
}

/** Dead-letters the delivery (retries exhausted, 410 Gone, endpoint gone), audited. */
async function deadLetter(
  db: Db,
  delivery: ClaimedDelivery,
  outcome: Outcome,
  now: Date,
): Promise<DeliveryStatus | undefined> {
  const cause: DeadLetterCause =
    outcome.kind === "endpoint_gone"
      ? outcome.cause
      : outcome.result.status === GONE
        ? "endpoint_disabled"
        : "retries_exhausted";
  deliveryMachine.assert(delivery.status, "dead");
  return runTransaction(db, async (tx, effects): Promise<DeliveryStatus | undefined> => {
    const result = outcome.kind === "sent" ? outcome.result : undefined;
    if (outcome.kind === "sent") {
      await tx.webhookAttempt.create({
        data: {
          deliveryId: delivery.id,
          attempt: delivery.attempts,
          startedAt: outcome.startedAt,
          durationMs: Math.round(outcome.durationMs),
          responseStatus: outcome.result.status ?? null,
          error: outcome.result.error ?? null,
        },
      });
    }
    const { count } = await tx.webhookDelivery.updateMany({
      where: { id: delivery.id, attempts: delivery.attempts, status: delivery.status },
      data: {
        status: "dead",
        deadAt: now,
        nextAttemptAt: null,
        lastResponseStatus: result?.status ?? null,
        lastError: result ? (result.error ?? `HTTP ${result.status}`) : deadLetterReason(cause),
      },
    });
    if (count === 0) return undefined;
    auditDeadLetter(effects, delivery, cause);
    if (result?.status === GONE) {
      const disabled = await tx.webhookEndpoint.updateMany({
        where: { id: delivery.endpointId, disabledAt: null, deletedAt: null },
        data: { disabledAt: now, disabledReason: "gone" },
      });
      if (disabled.count === 1) {
        effects.write(auditLog, {
          type: "webhook_endpoint.disabled",
          platformId: delivery.platformId,
          data: { endpointId: delivery.endpointId, reason: "gone" },
        });
        await deadLetterEndpoint(tx, effects, delivery.endpointId, "endpoint_disabled", now);
      }
    }
    return "dead";
  });
}

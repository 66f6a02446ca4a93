import type { DeliveryStatus } from "@vergewis/sdk";
import type { Db } from "../db/client.ts";

/** A delivery a worker holds, with what it needs to send it. */
export interface ClaimedDelivery {
  id: string;
  /** Including this attempt. */
  attempts: number;
  status: Extract<DeliveryStatus, "pending" | "retrying">;
  queuedAt: Date;
  eventId: string;
  eventType: string;
  payload: unknown;
  eventAt: Date;
  endpointId: string;
  platformId: string;
  url: string;
  secret: Uint8Array;
  previousSecret: Uint8Array | null;
  previousSecretExpiresAt: Date | null;
  endpointDeleted: boolean;
  endpointDisabled: boolean;
}

/**
 * Claims up to `limit` due deliveries in one short statement. `FOR UPDATE SKIP LOCKED` lets
 * workers of several instances claim side by side without waiting on or taking each other's rows;
 * the claim pushes `nextAttemptAt` to `leaseUntil` and counts the attempt, so that a delivery whose
 * worker dies is claimed again after the lease, and a crash loop still ends in the dead letters.
 */
export async function claimDeliveries(db: Db, limit: number, now: Date, leaseUntil: Date): Promise<ClaimedDelivery[]> {
  return db.$queryRaw<ClaimedDelivery[]>`
    WITH due AS MATERIALIZED (
      SELECT id FROM "WebhookDelivery"
      WHERE "nextAttemptAt" <= ${now}::timestamptz AND status IN ('pending', 'retrying')
      ORDER BY "nextAttemptAt"
      LIMIT ${limit}
      FOR UPDATE SKIP LOCKED
    )
    UPDATE "WebhookDelivery" AS d
    SET attempts = d.attempts + 1, "lastAttemptAt" = ${now}::timestamptz, "nextAttemptAt" = ${leaseUntil}::timestamptz
    FROM due, "OutboxMessage" AS m, "WebhookEndpoint" AS e
    WHERE d.id = due.id AND m.id = d."messageId" AND e.id = d."endpointId"
    RETURNING d.id::text AS id, d.attempts, d.status::text AS status, d."queuedAt",
      m.id::text AS "eventId", m.type AS "eventType", m.payload, m."createdAt" AS "eventAt",
      e.id::text AS "endpointId", e."platformId"::text AS "platformId", e.url, e.secret, e."previousSecret",
      e."previousSecretExpiresAt", e."deletedAt" IS NOT NULL AS "endpointDeleted",
      e."disabledAt" IS NOT NULL AS "endpointDisabled"`;
}

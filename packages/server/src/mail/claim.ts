import type { Db } from "../db/client.ts";

/** An invitation mail a worker holds, with what it needs to send it. */
export interface ClaimedMail {
  id: string;
  slotId: string;
  platformId: string;
  publicationId: string;
  language: "nl" | "en";
  sealed: string | null;
  /** Including this attempt. */
  attempts: number;
  queuedAt: Date;
  contact: string | null;
  slotOpen: boolean;
  expiresAt: Date;
  platformName: string;
}

/**
 * Claims up to `limit` due mails in one statement. `FOR UPDATE SKIP LOCKED` lets the workers of
 * several instances claim side by side; the claim pushes `nextAttemptAt` to `leaseUntil` and counts
 * the attempt, so that a mail whose worker died is claimed again after the lease.
 */
export async function claimMails(db: Db, limit: number, now: Date, leaseUntil: Date): Promise<ClaimedMail[]> {
  return db.$queryRaw<ClaimedMail[]>`
    WITH due AS MATERIALIZED (
      SELECT id FROM "InvitationMail"
      WHERE "nextAttemptAt" <= ${now}::timestamptz AND status IN ('pending', 'retrying')
      ORDER BY "nextAttemptAt"
      LIMIT ${limit}
      FOR UPDATE SKIP LOCKED
    )
    UPDATE "InvitationMail" AS m
    SET attempts = m.attempts + 1, "nextAttemptAt" = ${leaseUntil}::timestamptz
    FROM due, "Slot" AS s, "Publication" AS p, "Platform" AS pl
    WHERE m.id = due.id AND s.id = m."slotId" AND p.id = s."publicationId" AND pl.id = m."platformId"
    RETURNING m.id::text AS id, m."slotId"::text AS "slotId", m."platformId"::text AS "platformId",
      p.id::text AS "publicationId", m.language, m.sealed, m.attempts, m."queuedAt", s.contact,
      (s.status = 'open' AND p.status = 'pending') AS "slotOpen", s."expiresAt", pl.name AS "platformName"`;
}

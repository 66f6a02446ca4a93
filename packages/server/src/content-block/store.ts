import type { Fingerprint } from "@vergewis/sdk";
import { auditLog } from "../audit/append.ts";
import { changeSignal, topic } from "../db/changes.ts";
import type { Tx } from "../db/client.ts";
import type { Effects } from "../db/transaction.ts";
import { uuidv7 } from "../db/uuid.ts";
import { ContentWithdrawnError, type BlockedFingerprint } from "./errors.ts";

/**
 * Key space of the content locks (the two-integer advisory locks, apart from the log's one-key
 * lock): one lock per platform and fingerprint, taken by whatever requests, consents to, blocks
 * or lifts content, so that a request racing a withdrawal sees the block or is seen by it.
 */
const CONTENT_LOCK = 0x76676362; // "vgcb"

/** Locks these fingerprints of a platform until the transaction ends, in key order (no deadlock). */
export async function lockContent(tx: Tx, platformId: string, fingerprints: readonly Fingerprint[]): Promise<void> {
  if (fingerprints.length === 0) return;
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(${CONTENT_LOCK}::int, k) FROM (
    SELECT DISTINCT hashtext(${platformId} || '|' || f.alg || '|' || f.value) AS k
    FROM unnest(${fingerprints.map((f) => f.alg)}::text[], ${fingerprints.map((f) => f.value)}::text[]) AS f(alg, value)
    ORDER BY k) keys`;
}

/** Locks the content of these publications (lockContent), e.g. before withdrawing their consents. */
export async function lockContentOf(tx: Tx, publicationIds: readonly string[]): Promise<void> {
  if (publicationIds.length === 0) return;
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(${CONTENT_LOCK}::int, k) FROM (
    SELECT DISTINCT hashtext(p."platformId"::text || '|' || f.alg || '|' || f.value) AS k
    FROM "ContentFingerprint" f JOIN "Publication" p ON p.id = f."publicationId"
    WHERE p.id = ANY(${publicationIds}::uuid[])
    ORDER BY k) keys`;
}

/**
 * Refuses content under an active block (ContentWithdrawnError, naming each blocked fingerprint
 * by its position). Takes the content locks first, so a block committed meanwhile is seen.
 */
export async function assertNotBlocked(
  tx: Tx,
  platformId: string,
  fingerprints: readonly Fingerprint[],
  pointer?: string,
): Promise<void> {
  await lockContent(tx, platformId, fingerprints);
  const rows = await tx.$queryRaw<Array<Omit<BlockedFingerprint, "index">>>`
    SELECT DISTINCT ON (b.alg, b.value) b.alg, b.value, b.source::text AS source, b."publicationId"::text AS "publicationId"
    FROM "ContentBlock" b
    JOIN unnest(${fingerprints.map((f) => f.alg)}::text[], ${fingerprints.map((f) => f.value)}::text[]) AS f(alg, value)
      ON b.alg = f.alg AND b.value = f.value
    WHERE b."platformId" = ${platformId}::uuid AND b."liftedAt" IS NULL
    ORDER BY b.alg, b.value, b.source DESC, b."createdAt" DESC`;
  if (rows.length === 0) return;
  const blocked = fingerprints.flatMap((f, index) => {
    const row = rows.find((r) => r.alg === f.alg && r.value === f.value);
    return row ? [{ ...row, index }] : [];
  });
  throw new ContentWithdrawnError(blocked, pointer);
}

export type BlockCause = { source: "withdrawal"; consentId: string } | { source: "report"; reportId: string };

/**
 * Blocks every fingerprint of the publication on its platform, in the caller's transaction: the
 * rows, the audit event, and the signal that drops cached publish checks on every instance. Takes
 * the content locks before anything else of the caller's that could wait on another lock.
 */
export async function blockContent(tx: Tx, effects: Effects, publicationId: string, cause: BlockCause): Promise<void> {
  const publication = await tx.publication.findUniqueOrThrow({
    where: { id: publicationId },
    select: { platformId: true, fingerprints: { select: { alg: true, value: true }, orderBy: { id: "asc" } } },
  });
  const fingerprints = publication.fingerprints as Fingerprint[];
  await lockContent(tx, publication.platformId, fingerprints);
  const rows = await tx.$queryRaw<Fingerprint[]>`
    INSERT INTO "ContentBlock" ("id", "platformId", "alg", "value", "source", "publicationId", "consentId", "reportId")
    SELECT f.id, ${publication.platformId}::uuid, f.alg, f.value, ${cause.source}::"ContentBlockSource",
      ${publicationId}::uuid, ${cause.source === "withdrawal" ? cause.consentId : null}::uuid,
      ${cause.source === "report" ? cause.reportId : null}::uuid
    FROM unnest(${fingerprints.map(() => uuidv7())}::uuid[], ${fingerprints.map((f) => f.alg)}::text[],
      ${fingerprints.map((f) => f.value)}::text[]) AS f(id, alg, value)
    ON CONFLICT DO NOTHING
    RETURNING alg, value`;
  if (rows.length === 0) return;
  effects.signal(changeSignal(rows.map(topic.fingerprint)));
  effects.write(auditLog, {
    type: "content.blocked",
    platformId: publication.platformId,
    publicationId,
    data: { ...cause, contentFingerprints: rows.map(({ alg, value }) => ({ alg, value }) as Fingerprint) },
  });
}

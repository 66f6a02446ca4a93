import { createHmac } from "node:crypto";
import type { Db, Tx } from "../db/client.ts";

/**
 * A performer's pairwise pseudonym for one platform: `prf_` and the first 128 bits of
 * HMAC-SHA256(server secret, "pairwise:" ‖ platform id ‖ "|" ‖ performer id), base64url: the
 * format of every performer pseudonym. Receipts, consent documents and the platform's audit
 * entries name the performer by it, so that two platforms cannot link one performer by their
 * ids; only the server (and, through `PlatformPseudonym`, an all-platform auditor) can.
 */
export const pairwisePseudonym = (secret: Buffer, platformId: string, performerId: string) =>
  `prf_${createHmac("sha256", secret).update(`pairwise:${platformId}|${performerId}`).digest().subarray(0, 16).toString("base64url")}`;

/** The pairwise pseudonym, recorded for the auditors' link; the same on every call. */
export async function recordPairwise(tx: Tx, secret: Buffer, performerId: string, platformId: string): Promise<string> {
  const pseudonym = pairwisePseudonym(secret, platformId, performerId);
  await tx.$executeRaw`
    INSERT INTO "PlatformPseudonym" ("pseudonym", "performerId", "platformId")
    VALUES (${pseudonym}, ${performerId}::uuid, ${platformId}::uuid) ON CONFLICT DO NOTHING`;
  return pseudonym;
}

/**
 * The pseudonym a platform knows the performer by: the recorded pairwise one, or, for a slot
 * claimed before pairwise pseudonyms, the performer's own.
 */
export async function platformPseudonymOf(db: Db | Tx, performerId: string, platformId: string): Promise<string> {
  const row = await db.platformPseudonym.findUnique({
    where: { performerId_platformId: { performerId, platformId } },
    select: { pseudonym: true },
  });
  return row?.pseudonym ?? (await db.performer.findUniqueOrThrow({ where: { id: performerId } })).pseudonym;
}

/** For all-platform auditors: each pairwise pseudonym among `pseudonyms` with its performer's own. */
export async function linkPseudonyms(db: Db, pseudonyms: string[]): Promise<Map<string, string>> {
  if (pseudonyms.length === 0) return new Map();
  const rows = await db.platformPseudonym.findMany({
    where: { pseudonym: { in: [...new Set(pseudonyms)] } },
    select: { pseudonym: true, performer: { select: { pseudonym: true } } },
  });
  return new Map(rows.map((r) => [r.pseudonym, r.performer.pseudonym]));
}

/** For all-platform auditors: every pseudonym of the performer whose own pseudonym is `pseudonym`. */
export async function pseudonymsOf(db: Db, pseudonym: string): Promise<string[]> {
  const performer = await db.performer.findUnique({
    where: { pseudonym },
    select: { pairwise: { select: { pseudonym: true } } },
  });
  return [pseudonym, ...(performer?.pairwise.map((p) => p.pseudonym) ?? [])];
}

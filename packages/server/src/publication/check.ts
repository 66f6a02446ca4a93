import type { CheckReason, CheckResult, Fingerprint, PublicationStatus } from "@vergewis/sdk";
import type { Db } from "../db/client.ts";

/**
 * Decides whether a platform may publish content with this fingerprint: only when one of its own
 * publications with the fingerprint is cleared and in scope, and none with it was revoked
 * (re-uploading withdrawn content under another id is refused).
 */
export async function checkFingerprint(db: Db, platformId: string, fingerprint: Fingerprint): Promise<CheckResult> {
  const rows = await db.publication.findMany({
    where: { platformId, fingerprints: { some: { alg: fingerprint.alg, value: fingerprint.value } } },
    select: { id: true, status: true, validUntil: true },
    orderBy: { id: "desc" },
  });
  const blocked = rows.find((r) => r.status === "takedown_required" || r.status === "taken_down");
  if (blocked) return refuse("revoked", blocked);
  const now = Date.now();
  const cleared = rows.find((r) => r.status === "cleared" && r.validUntil.getTime() > now);
  if (cleared) return { allowed: true, publicationId: cleared.id, status: "cleared", reason: "cleared" };
  const latest = rows[0];
  if (!latest) return { allowed: false, status: "unknown", reason: "unknown" };
  const reason: CheckReason = latest.status === "cleared" ? "expired" : (latest.status as CheckReason);
  return refuse(reason, latest);
}

const refuse = (reason: CheckReason, row: { id: string; status: PublicationStatus }): CheckResult => ({
  allowed: false,
  publicationId: row.id,
  status: row.status,
  reason,
});

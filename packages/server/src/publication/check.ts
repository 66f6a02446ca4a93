import type { CheckReason, CheckResult, Fingerprint, PublicationStatus } from "@vergewis/sdk";
import { ChangeAwareCache } from "../db/cache.ts";
import type { Db } from "../db/client.ts";

/** A decision is remembered this long at most, or until anything it depends on changes. */
const CACHE_TTL_MS = 30_000;

/**
 * Decides whether a platform may publish content with this fingerprint: only when one of its own
 * publications with the fingerprint is cleared and in scope, and none with it was revoked
 * (re-uploading withdrawn content under another id is refused). Decisions are cached per process
 * and dropped on every signalled change (db/changes.ts), so a revocation is seen at once.
 */
export class PublishCheck {
  readonly #db: Db;
  readonly #cache = new ChangeAwareCache<CheckResult>();

  constructor(db: Db) {
    this.#db = db;
  }

  check(platformId: string, fingerprint: Fingerprint): Promise<CheckResult> {
    return this.#cache.get(`${platformId}|${fingerprint.alg}|${fingerprint.value}`, async () => {
      const { result, validUntil } = await this.#decide(platformId, fingerprint);
      const ttlMs = Math.min(CACHE_TTL_MS, (validUntil ?? Infinity) - Date.now());
      return { value: result, ttlMs };
    });
  }

  async #decide(platformId: string, fingerprint: Fingerprint): Promise<{ result: CheckResult; validUntil?: number }> {
    const rows = await this.#db.publication.findMany({
      where: { platformId, fingerprints: { some: { alg: fingerprint.alg, value: fingerprint.value } } },
      select: { id: true, status: true, validUntil: true },
      orderBy: { id: "desc" },
    });
    const blocked = rows.find((r) => r.status === "takedown_required" || r.status === "taken_down");
    if (blocked) return { result: refuse("revoked", blocked) };
    const now = Date.now();
    const cleared = rows.find((r) => r.status === "cleared" && r.validUntil.getTime() > now);
    if (cleared) {
      return {
        result: { allowed: true, publicationId: cleared.id, status: "cleared", reason: "cleared" },
        validUntil: cleared.validUntil.getTime(),
      };
    }
    const latest = rows[0];
    if (!latest) return { result: { allowed: false, status: "unknown", reason: "unknown" } };
    const reason: CheckReason = latest.status === "cleared" ? "expired" : (latest.status as CheckReason);
    return { result: refuse(reason, latest) };
  }
}

const refuse = (reason: CheckReason, row: { id: string; status: PublicationStatus }): CheckResult => ({
  allowed: false,
  publicationId: row.id,
  status: row.status,
  reason,
});

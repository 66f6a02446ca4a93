import {
  scopeRefusal,
  type CheckReason,
  type CheckResult,
  type ContentFingerprint,
  type Fingerprint,
  type PublicationStatus,
  type Usage,
} from "@vergewis/sdk";
import type { Config } from "../config/schema.ts";
import { findBlockedNearDuplicate, type BlockedNearDuplicate } from "../content-block/near-duplicate.ts";
import { ChangeAwareCache } from "../db/cache.ts";
import { topic } from "../db/changes.ts";
import type { Db } from "../db/client.ts";
import { perceptualHashesOf } from "../near-duplicate/input.ts";

/**
 * A decision is remembered until a change touches its fingerprint (exact: signalled in the same
 * transaction, and to other instances by NOTIFY), or the content's scope ends, and at most this
 * long: a bound for changes made behind the server's back, such as an operator's manual SQL.
 * Two minutes keep most hits, as content being uploaded or served is asked for again soon (the
 * soak asks for each of 5,000 fingerprints every 14 s: 90 % hits, against 96 % with five minutes),
 * and the cache reaches its steady size after two minutes rather than growing for five.
 */
const CACHE_TTL_MS = 2 * 60_000;
/**
 * An unknown fingerprint is remembered for less: such keys are whatever a platform sends (content
 * it never registered, mistakes), are rarely asked for again, and would otherwise make up most of
 * the cache under a steady trickle of them. A registration signals its fingerprint all the same.
 */
const UNKNOWN_TTL_MS = 30_000;
/**
 * About 650 bytes a decision: 20,000 hold at most 13 MB, twice what the soak's 400 checks/s keep
 * (its 5,000 fingerprints, those it stopped asking for within the time to live, unknown ones for
 * 30 s); past it the oldest decisions make room.
 */
const MAX_CACHED = 20_000;

interface Row {
  id: string;
  status: PublicationStatus;
  validUntil: Date;
  purposes: string[];
  territories: string[];
  /** An open blocking report (a trusted flagger's or a depicted person's) names the publication. */
  reported: boolean;
  /** What blocks the publication's content (ContentBlock) while not lifted: an upheld report first. */
  block: "report" | "withdrawal" | null;
}

const TAKEN_DOWN: ReadonlySet<PublicationStatus> = new Set(["takedown_required", "taken_down"]);

/** A decision about the content, and the signed scopes of the cleared publications that allow it. */
interface Decision {
  result: CheckResult;
  scopes: Array<{ purposes: string[]; territories: string[] }>;
}

/** The defaults of `config.nearDuplicates`, for checkers made without a configuration. */
const NEAR_DUPLICATE_DEFAULTS: Config["nearDuplicates"] = { threshold: 31, qualityFloor: 50 };

/**
 * Decides whether a platform may publish content with this fingerprint (`sha-256`, `pdq` or
 * `vpdq`): only when one of its own publications with the exact fingerprint is cleared and in
 * scope (allowing never uses near-duplicates), and
 * - no publication with it has an open blocking report (a trusted flagger's or a depicted
 *   person's; an anonymous one only puts it under review), and no upheld report blocks it
 *   (ContentBlock): the content itself is refused, under any id;
 * - no withdrawal blocks it: a consent to it was revoked and the performer who revoked it has
 *   not lifted the block. The same blocks refuse new publication requests and consents
 *   (content-block/store.ts), so the check never refuses what a new request could clear;
 * - for a `pdq` fingerprint with its quality, or a `vpdq` one: it is no near-duplicate of content
 *   of this platform that is blocked (withdrawn, upheld report), under an open blocking report or taken
 *   down (content-block/near-duplicate.ts). The refusal names the algorithm and distance.
 *   Nothing is written: the check changes no state, and the block, report or takedown it rests
 *   on is in the audit log already, with the publications' fingerprints; a write per check would
 *   put the log's lock on the hottest read path.
 * Decisions are cached per process and dropped by every signalled change to a publication, report
 * or block that carries the fingerprint (db/changes.ts), so a revocation, a report or a lifted
 * block is seen at once, on every instance; near-duplicate decisions are dropped by every such
 * change to content with perceptual fingerprints (`topic.perceptual`).
 */
export class PublishCheck {
  readonly #db: Db;
  readonly #cache = new ChangeAwareCache<Decision>(MAX_CACHED);
  readonly #unknownTtlMs: number;
  readonly #nearDuplicates: Config["nearDuplicates"];

  constructor(db: Db, options: { unknownTtlMs?: number; nearDuplicates?: Config["nearDuplicates"] } = {}) {
    this.#db = db;
    this.#unknownTtlMs = options.unknownTtlMs ?? UNKNOWN_TTL_MS;
    this.#nearDuplicates = options.nearDuplicates ?? NEAR_DUPLICATE_DEFAULTS;
  }

  /**
   * The decision for the content, then for the use asked about: cleared content is allowed only
   * when the signed scope of one of its cleared publications names the purpose and the territory.
   * The cache keeps the content's decision; the use is judged against it on every call.
   */
  async check(
    platformId: string,
    fingerprint: ContentFingerprint | Fingerprint,
    usage: Partial<Usage> = {},
  ): Promise<CheckResult> {
    const perceptual = perceptualHashesOf(fingerprint);
    // A PDQ hash with its quality is searched for near-duplicates, one without it is not.
    const key = `${platformId}|${fingerprint.alg}|${fingerprint.value}|${perceptual ? "near" : "exact"}`;
    const topics = [topic.fingerprint(fingerprint), ...(perceptual ? [topic.perceptual] : [])];
    const { result, scopes } = await this.#cache.get(key, topics, async () => {
      const { validUntil, ...decision } = await this.#decide(platformId, fingerprint);
      const longest = decision.result.status === "unknown" ? this.#unknownTtlMs : CACHE_TTL_MS;
      const ttlMs = Math.min(longest, (validUntil ?? Infinity) - Date.now());
      return { value: decision, ttlMs };
    });
    if (!result.allowed) return result;
    const refusals = scopes.map((scope) => scopeRefusal(scope, usage));
    if (refusals.includes(undefined)) return result;
    // The purpose was consented somewhere, only not for this territory: say so.
    const reason = refusals.includes("territory_not_consented") ? "territory_not_consented" : "purpose_not_consented";
    return { ...result, allowed: false, reason };
  }

  async #decide(
    platformId: string,
    fingerprint: ContentFingerprint | Fingerprint,
  ): Promise<Decision & { validUntil?: number }> {
    const rows = await this.#db.$queryRaw<Row[]>`
      SELECT p.id::text AS id, p.status::text AS status, p."validUntil", p.purposes, p.territories,
        EXISTS (SELECT 1 FROM "Report" r WHERE r."publicationId" = p.id AND r.status = 'open' AND r.blocking) AS reported,
        (SELECT b.source::text FROM "ContentBlock" b WHERE b."publicationId" = p.id AND b.alg = f.alg
          AND b.value = f.value AND b."liftedAt" IS NULL ORDER BY b.source DESC LIMIT 1) AS block
      FROM "Publication" p
      JOIN "ContentFingerprint" f ON f."publicationId" = p.id
      WHERE p."platformId" = ${platformId}::uuid AND f.alg = ${fingerprint.alg} AND f.value = ${fingerprint.value}
      ORDER BY p.id DESC`;
    const reported = rows.find((r) => r.reported || r.block === "report");
    if (reported) return { result: refuse("reported", reported), scopes: [] };
    const withdrawn = rows.find((r) => r.block === "withdrawal");
    if (withdrawn) return { result: refuse("revoked", withdrawn), scopes: [] };
    const perceptual = perceptualHashesOf(fingerprint);
    if (perceptual) {
      const near = await findBlockedNearDuplicate(this.#db, platformId, perceptual, this.#nearDuplicates, {
        blocksOnly: false,
      });
      if (near) return { result: refuseNearDuplicate(near), scopes: [] };
    }
    const now = Date.now();
    const cleared = rows.filter((r) => r.status === "cleared" && r.validUntil.getTime() > now);
    const [first] = cleared;
    if (first) {
      return {
        result: { allowed: true, publicationId: first.id, status: "cleared", reason: "cleared" },
        scopes: cleared.map(({ purposes, territories }) => ({ purposes, territories })),
        // Kept until the first of them ends: the set of scopes changes then.
        validUntil: Math.min(...cleared.map((r) => r.validUntil.getTime())),
      };
    }
    const latest = rows[0];
    if (!latest) return { result: { allowed: false, status: "unknown", reason: "unknown" }, scopes: [] };
    const reason: CheckReason =
      latest.status === "cleared"
        ? "expired"
        : TAKEN_DOWN.has(latest.status)
          ? "revoked"
          : (latest.status as CheckReason);
    return { result: refuse(reason, latest), scopes: [] };
  }
}

const refuse = (reason: CheckReason, row: { id: string; status: PublicationStatus }): CheckResult => ({
  allowed: false,
  publicationId: row.id,
  status: row.status,
  reason,
});

function refuseNearDuplicate(near: BlockedNearDuplicate): CheckResult {
  const { alg, distance, queryMatchPercent, comparedMatchPercent } = near;
  return {
    ...refuse(near.blockedBy === "report" || near.blockedBy === "open_report" ? "reported" : "revoked", {
      id: near.publicationId,
      status: near.status,
    }),
    nearDuplicate: {
      alg,
      distance,
      ...(queryMatchPercent !== undefined && { queryMatchPercent }),
      ...(comparedMatchPercent !== undefined && { comparedMatchPercent }),
    },
  };
}

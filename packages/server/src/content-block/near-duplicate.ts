import type { ContentFingerprint, NearDuplicate, PublicationStatus } from "@vergewis/sdk";
import type { Config } from "../config/schema.ts";
import type { Db, Tx } from "../db/client.ts";
import { perceptualHashesOf, type PerceptualHashes } from "../near-duplicate/input.ts";
import { ContentWithdrawnError } from "./errors.ts";
import { findNearDuplicates } from "../near-duplicate/search.ts";

/**
 * Why a near-duplicate's content is not to be published: a withdrawal or an upheld report blocks
 * it (ContentBlock, not lifted), a blocking report on it is open, or it was taken down (a takedown whose
 * block was lifted no longer counts, as the performer allowed the content again).
 */
export type BlockedBy = "withdrawal" | "report" | "open_report" | "taken_down";

export interface BlockedNearDuplicate extends NearDuplicate {
  publicationId: string;
  status: PublicationStatus;
  /** The matched file's stored fingerprint: `pdq` and its hash, or `vpdq` and its frames' digest. */
  matched: { alg: "pdq" | "vpdq"; value: string };
  blockedBy: BlockedBy;
}

interface StateRow {
  fingerprintId: string;
  id: string;
  status: PublicationStatus;
  value: string;
  block: "withdrawal" | "report" | null;
  reported: boolean;
  everBlocked: boolean;
}

/**
 * The nearest near-duplicate, on this platform, of content that must not be published, or
 * undefined. `blocks` only: withdrawals and upheld reports (what refuses a publication request);
 * otherwise open reports and takedowns as well (what the publish check refuses). PDQ hashes match
 * within `nearDuplicates.threshold` bits at or above the quality floor; vPDQ by `matchVpdq`'s rule.
 */
export async function findBlockedNearDuplicate(
  db: Db | Tx,
  platformId: string,
  query: PerceptualHashes,
  config: Config["nearDuplicates"],
  options: { blocksOnly: boolean },
): Promise<BlockedNearDuplicate | undefined> {
  const matches = await findNearDuplicates(db, query, {
    platformId,
    threshold: config.threshold,
    qualityFloor: config.qualityFloor,
  });
  if (matches.length === 0) return undefined;
  const rows = await db.$queryRaw<StateRow[]>`
    SELECT f.id::text AS "fingerprintId", p.id::text AS id, p.status::text AS status, f.value,
      (SELECT b.source::text FROM "ContentBlock" b WHERE b."publicationId" = p.id AND b."liftedAt" IS NULL
        ORDER BY b.source DESC LIMIT 1) AS block,
      EXISTS (SELECT 1 FROM "Report" r WHERE r."publicationId" = p.id AND r.status = 'open' AND r.blocking) AS reported,
      EXISTS (SELECT 1 FROM "ContentBlock" b WHERE b."publicationId" = p.id) AS "everBlocked"
    FROM "ContentFingerprint" f JOIN "Publication" p ON p.id = f."publicationId"
    WHERE f.id = ANY(${matches.map((m) => m.fingerprintId)}::uuid[])`;
  const states = new Map(rows.map((r) => [r.fingerprintId, r]));
  // Matches come nearest first: the first blocked one is the refusal's reason.
  for (const match of matches) {
    const state = states.get(match.fingerprintId);
    const blockedBy = state && blockedByOf(state, options.blocksOnly);
    if (!state || !blockedBy) continue;
    return {
      publicationId: state.id,
      status: state.status,
      matched: { alg: match.alg, value: state.value },
      blockedBy,
      alg: match.alg,
      distance: match.distance,
      ...(match.queryMatchPercent !== undefined && { queryMatchPercent: match.queryMatchPercent }),
      ...(match.comparedMatchPercent !== undefined && { comparedMatchPercent: match.comparedMatchPercent }),
    };
  }
  return undefined;
}

function blockedByOf(state: StateRow, blocksOnly: boolean): BlockedBy | undefined {
  if (state.block) return state.block;
  if (blocksOnly) return undefined;
  if (state.reported) return "open_report";
  if ((state.status === "takedown_required" || state.status === "taken_down") && !state.everBlocked)
    return "taken_down";
  return undefined;
}

/**
 * Refuses content that is a near-duplicate of content blocked on this platform (a withdrawal or
 * an upheld report): ContentWithdrawnError naming the fingerprint by its position, the matched
 * blocked file, the algorithm and the distance. Runs after `assertNotBlocked`, which refuses the
 * exact fingerprints under the content locks. A block committed on a near-duplicate meanwhile is
 * not serialised with this request (its locks are on other values); the publish check, which
 * searches near-duplicates at every decision, refuses the content all the same.
 */
export async function assertNoBlockedNearDuplicate(
  tx: Tx,
  platformId: string,
  fingerprints: readonly ContentFingerprint[],
  config: Config["nearDuplicates"],
  pointer?: string,
): Promise<void> {
  for (const [index, fingerprint] of fingerprints.entries()) {
    const hashes = perceptualHashesOf(fingerprint);
    const near = hashes && (await findBlockedNearDuplicate(tx, platformId, hashes, config, { blocksOnly: true }));
    if (!near) continue;
    throw new ContentWithdrawnError(
      [
        {
          index,
          alg: fingerprint.alg,
          value: fingerprint.value,
          source: near.blockedBy === "report" ? "report" : "withdrawal",
          publicationId: near.publicationId,
          nearDuplicate: { ...near.matched, distance: near.distance },
        },
      ],
      pointer,
    );
  }
}

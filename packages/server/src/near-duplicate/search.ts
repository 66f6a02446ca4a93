import { matchVpdq } from "@vergewis/sdk";
import type { Db, Tx } from "../db/client.ts";
import { InvalidPerceptualHashError } from "./errors.ts";
import { BANDS, hexOf, indexedHash, type IndexedHash } from "./hash.ts";
import { checkPerceptualHashes, type PerceptualHashes } from "./input.ts";
import { bandProbes } from "./probes.ts";

/**
 * The largest distance searched: up to 47 the bands are probed within radius 2 (137 keys a band);
 * beyond it the probes grow past what an index lookup is worth, and PDQ's own guidance ends well
 * below (31 for the same content; 70 bits of 256 is already near chance for unrelated images).
 */
export const MAX_THRESHOLD = 3 * BANDS - 1;

export interface NearDuplicateSearch {
  /** One platform's files only. Unset: every platform of the instance. */
  platformId?: string;
  /** The largest Hamming distance (of 256 bits) that counts as the same content, 0–47. */
  threshold: number;
  /** Hashes (stored and searched) of lower PDQ quality are left out, as the reference does. */
  qualityFloor: number;
}

export interface NearDuplicateMatch {
  fingerprintId: string;
  publicationId: string;
  platformId: string;
  alg: "pdq" | "vpdq";
  /** PDQ: the distance between the hashes. vPDQ: the smallest distance between two frames. */
  distance: number;
  /** vPDQ only: the shares of the query's and of the stored video's frames that matched. */
  queryMatchPercent?: number;
  comparedMatchPercent?: number;
}

/**
 * Multi-index hashing (Norouzi, Punjani, Fleet, "Fast Search in Hamming Space with Multi-Index
 * Hashing", CVPR 2012). The 256 bits are cut into 16 bands of 16 bits, each with a B-tree index.
 * If two hashes differ in at most `threshold` bits, then some band differs in at most
 * r = ⌊threshold / 16⌋ bits: were every band r + 1 bits or more apart, the hashes would be
 * 16·(r + 1) > threshold apart. So every hash within the threshold is found among the rows whose
 * band i equals one of the values within r bits of the query's band i, for some i: for the
 * default threshold 31, r = 1, the query's band and its 16 one-bit neighbours (17 keys a band,
 * 272 in all); up to 15, the band itself. Each candidate is then kept only if its exact distance,
 * `bit_count` over the XOR of the four 64-bit words, is within the threshold, so that nothing
 * beyond it is returned either. The candidates are some 272/65,536 of the table (0.4 %: bench
 * "candidates verified per lookup"); 32 bands of 8 bits at radius 0 would take 32 keys but make
 * 32/256 of it candidates (12.5 %), 30 times as many rows to verify.
 */
export const probeRadius = (threshold: number) => Math.floor(threshold / BANDS);

const distanceTo = (first: number) =>
  [0, 1, 2, 3].map((w) => `bit_count((h."h${w}" # $${first + w}::int8)::bit(64))`).join(" + ");

/** `(h."b0" = ANY($n::smallint[]) OR …)`: the candidates of the bands, from parameter `first` on. */
const bandsMatch = (first: number) =>
  `(${Array.from({ length: BANDS }, (_, i) => `h."b${i}" = ANY($${first + i}::smallint[])`).join(" OR ")})`;

/** The keys each band's index is probed with, for all the query's hashes at once. */
function probes(hashes: IndexedHash[], radius: number): number[][] {
  return Array.from({ length: BANDS }, (_, b) => [...new Set(hashes.flatMap((h) => bandProbes(h.bands[b]!, radius)))]);
}

/**
 * The parameters both searches share: $1–$4 the query's words (or arrays of them), $5–$20 the
 * band probes, $21 the quality floor, $22 the threshold and $23 the platform, when there is one;
 * with the condition on the platform.
 */
function searchParameters(words: Array<string | string[]>, hashes: IndexedHash[], search: NearDuplicateSearch) {
  const one = search.platformId !== undefined;
  return {
    platform: one ? `AND h."platformId" = $23::uuid` : "",
    values: [
      ...words,
      ...probes(hashes, probeRadius(search.threshold)),
      search.qualityFloor,
      search.threshold,
      ...(one ? [search.platformId] : []),
    ],
  };
}

function checkSearch(search: NearDuplicateSearch): void {
  const issues = [];
  if (!Number.isInteger(search.threshold) || search.threshold < 0 || search.threshold > MAX_THRESHOLD) {
    issues.push({ pointer: "/threshold", reason: `must be an integer from 0 to ${MAX_THRESHOLD}` });
  }
  if (!Number.isInteger(search.qualityFloor) || search.qualityFloor < 0 || search.qualityFloor > 100) {
    issues.push({ pointer: "/qualityFloor", reason: "must be an integer from 0 to 100" });
  }
  if (issues.length) throw new InvalidPerceptualHashError(issues);
}

/**
 * The files whose perceptual hashes are near duplicates of the query, on one platform or on all:
 * PDQ, each file with a hash within the threshold, nearest first; vPDQ, each video that matches by
 * the reference's rule (`matchVpdq`: 80 % of the query's frames within the threshold of one of
 * its frames), best first. A query below the quality floor matches nothing, as in the reference.
 * Throws `InvalidPerceptualHashError` for a malformed hash, frame, threshold or floor.
 */
export async function findNearDuplicates(
  db: Db | Tx,
  query: PerceptualHashes,
  search: NearDuplicateSearch,
): Promise<NearDuplicateMatch[]> {
  checkPerceptualHashes(query);
  checkSearch(search);
  return query.alg === "pdq" ? findPdq(db, query, search) : findVpdq(db, query, search);
}

/** The file a stored hash belongs to. */
interface FileRow {
  fingerprintId: string;
  publicationId: string;
  platformId: string;
}

interface PdqRow extends FileRow {
  distance: number;
}

async function findPdq(
  db: Db | Tx,
  query: Extract<PerceptualHashes, { alg: "pdq" }>,
  search: NearDuplicateSearch,
): Promise<NearDuplicateMatch[]> {
  if (query.quality < search.qualityFloor) return [];
  const hash = indexedHash(query.value);
  const { platform, values } = searchParameters(hash.words, [hash], search);
  // Kept lean, as PostgreSQL plans it at every call: the publication is looked up for the
  // matches only, and each file is reduced to its nearest hash here.
  const rows = await db.$queryRawUnsafe<PdqRow[]>(
    `SELECT h."fingerprintId", h."platformId", (${distanceTo(1)})::int AS distance,
       (SELECT f."publicationId" FROM "ContentFingerprint" f WHERE f."id" = h."fingerprintId") AS "publicationId"
     FROM "PerceptualHash" h
     WHERE h."alg" = 'pdq' AND ${bandsMatch(5)} AND h."quality" >= $21 AND ${distanceTo(1)} <= $22 ${platform}`,
    ...values,
  );
  const nearest = new Map<string, PdqRow>();
  for (const row of rows) {
    const known = nearest.get(row.fingerprintId);
    if (!known || row.distance < known.distance) nearest.set(row.fingerprintId, row);
  }
  return [...nearest.values()]
    .map((r) => ({ ...r, alg: "pdq" as const }))
    .sort((a, b) => a.distance - b.distance || a.fingerprintId.localeCompare(b.fingerprintId));
}

interface FrameRow extends FileRow {
  h0: string;
  h1: string;
  h2: string;
  h3: string;
  quality: number;
  frameTime: number;
}

/**
 * The index finds the videos with a frame within the threshold of a query frame (any video that
 * can match has one); the reference's rule is then applied to each of them over all its frames.
 */
async function findVpdq(
  db: Db | Tx,
  query: Extract<PerceptualHashes, { alg: "vpdq" }>,
  search: NearDuplicateSearch,
): Promise<NearDuplicateMatch[]> {
  const usable = [
    ...new Set(query.frames.filter((f) => f.quality >= search.qualityFloor).map((f) => f.value.toLowerCase())),
  ];
  if (usable.length === 0) return [];
  const hashes = usable.map(indexedHash);
  const words = [0, 1, 2, 3].map((w) => hashes.map((h) => h.words[w]!));
  const { platform, values } = searchParameters(words, hashes, search);
  const candidates = await db.$queryRawUnsafe<Array<{ fingerprintId: string }>>(
    `SELECT DISTINCT h."fingerprintId" FROM "PerceptualHash" h
     WHERE h."alg" = 'vpdq' AND ${bandsMatch(5)} AND h."quality" >= $21 ${platform}
       AND EXISTS (SELECT 1 FROM unnest($1::int8[], $2::int8[], $3::int8[], $4::int8[]) AS q(h0, h1, h2, h3)
         WHERE ${[0, 1, 2, 3].map((w) => `bit_count((h."h${w}" # q.h${w})::bit(64))`).join(" + ")} <= $22)`,
    ...values,
  );
  if (candidates.length === 0) return [];
  const frames = await db.$queryRawUnsafe<FrameRow[]>(
    `SELECT h."fingerprintId", f."publicationId", h."platformId", h."h0"::text, h."h1"::text, h."h2"::text,
       h."h3"::text, h."quality"::int, h."frameTime"
     FROM "PerceptualHash" h JOIN "ContentFingerprint" f ON f."id" = h."fingerprintId"
     WHERE h."alg" = 'vpdq' AND h."fingerprintId" = ANY($1::uuid[])
     ORDER BY h."fingerprintId", h."frameTime"`,
    candidates.map((c) => c.fingerprintId),
  );
  const videos = new Map<string, FrameRow[]>();
  for (const frame of frames) {
    const list = videos.get(frame.fingerprintId);
    if (list) list.push(frame);
    else videos.set(frame.fingerprintId, [frame]);
  }
  const matches: NearDuplicateMatch[] = [];
  for (const [fingerprintId, rows] of videos) {
    const stored = rows.map((r) => ({ t: r.frameTime, quality: r.quality, value: hexOf([r.h0, r.h1, r.h2, r.h3]) }));
    const result = matchVpdq(query.frames, stored, { distance: search.threshold, qualityFloor: search.qualityFloor });
    if (!result.match) continue;
    matches.push({
      fingerprintId,
      publicationId: rows[0]!.publicationId,
      platformId: rows[0]!.platformId,
      alg: "vpdq",
      distance: result.distance!,
      queryMatchPercent: result.queryMatchPercent,
      comparedMatchPercent: result.comparedMatchPercent,
    });
  }
  return matches.sort(
    (a, b) =>
      b.queryMatchPercent! - a.queryMatchPercent! ||
      a.distance - b.distance ||
      a.fingerprintId.localeCompare(b.fingerprintId),
  );
}

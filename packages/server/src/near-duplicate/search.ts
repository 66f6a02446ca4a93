import { matchVpdq } from "@vergewis/sdk";
import type { Db, Tx } from "../db/client.ts";
import { InvalidPerceptualHashError } from "./errors.ts";
import { BAND_WIDTHS, hexOf, indexedHash, type IndexedHash } from "./hash.ts";
import { checkPerceptualHashes, type PerceptualHashes } from "./input.ts";
import { bandProbes, bandRadii } from "./probes.ts";

/**
 * The largest distance searched. Up to 43 every band is probed within 3 bits at most; at 47 four
 * bands are probed within 4 bits (some 58,000 keys): slow but still exact. PDQ's own guidance
 * ends well below (31 for the same content; 70 bits of 256 is already near chance for unrelated
 * images).
 */
export const MAX_THRESHOLD = 47;

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
 * Hashing", CVPR 2012). The 256 bits are cut into 11 bands of 23–24 bits (`BAND_WIDTHS`), each
 * with a B-tree index. Band i is probed with every value within r_i bits of the query's band
 * (`bandRadii`: Σ (r_i + 1) > threshold, so that every hash within the threshold shares a probed
 * key in some band), and each candidate is kept only if its exact distance, `bit_count` over the
 * XOR of the four 64-bit words, is within the threshold, so that nothing beyond it is returned
 * either. At the default 31 that is 2,843 keys and, among uniformly random hashes, some 3 in
 * 10,000 of the table as candidates; the 16 bands of 16 bits probed within 1 bit that came before
 * took 272 keys but made 4 in 1,000 candidates, and reading those rows cost more than the keys
 * (bench "candidates verified per lookup"; docs/near-duplicates.md has the measurements).
 */
const distanceTo = (first: number) =>
  [0, 1, 2, 3].map((w) => `bit_count((h."h${w}" # $${first + w}::int8)::bit(64))`).join(" + ");

/**
 * The rows found through the probed bands' indexes, from parameter `first` on (one `int[]` of keys
 * a probed band), that also meet `where`: one branch a band, each a lateral join of the keys with
 * the rows of that key. The lateral join (kept apart by `OFFSET 0`) makes PostgreSQL look each key
 * up in the band's B-tree; offered `band = ANY(keys)` over thousands of keys instead, it estimates a
 * (parallel) sequential scan cheaper up to about a million rows, and takes ten times as long.
 * A row sharing keys with the query in several bands comes once from each.
 */
function probedRows(threshold: number, first: number, columns: string, where: string) {
  const probed = bandRadii(threshold).flatMap((radius, band) => (radius >= 0 ? [{ band, radius }] : []));
  const sql = probed
    .map(
      ({ band }, i) => `SELECT c.* FROM unnest($${first + i}::int[]) AS k("key")
        CROSS JOIN LATERAL (SELECT ${columns} FROM "PerceptualHash" h
          WHERE h."band${band}" = k."key" AND ${where} OFFSET 0) AS c`,
    )
    .join("\n UNION ALL ");
  return { probed, sql };
}

/** The keys each probed band's index is probed with, for all the query's hashes at once. */
function probes(hashes: IndexedHash[], probed: Array<{ band: number; radius: number }>): number[][] {
  return probed.map(({ band, radius }) => [
    ...new Set(hashes.flatMap((h) => bandProbes(h.bands[band]!, BAND_WIDTHS[band]!, radius))),
  ]);
}

/**
 * The statement's parameters and conditions: $1–$4 the query's words (or arrays of them), $5 the
 * quality floor, $6 the threshold, $7 the platform (when there is one) and then the band probes.
 */
function searchParameters(
  words: Array<string | string[]>,
  hashes: IndexedHash[],
  search: NearDuplicateSearch,
  columns: string,
  where: string,
) {
  const one = search.platformId !== undefined;
  const platform = one ? `AND h."platformId" = $7::uuid` : "";
  const bands = probedRows(search.threshold, one ? 8 : 7, columns, `${where} ${platform}`);
  return {
    rows: bands.sql,
    values: [
      ...words,
      search.qualityFloor,
      search.threshold,
      ...(one ? [search.platformId] : []),
      ...probes(hashes, bands.probed),
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
  const { rows: matched, values } = searchParameters(
    hash.words,
    [hash],
    search,
    `h."fingerprintId", h."platformId", (${distanceTo(1)})::int AS distance`,
    `h."alg" = 'pdq' AND h."quality" >= $5 AND ${distanceTo(1)} <= $6`,
  );
  // Kept lean, as PostgreSQL plans it at every call: the publication is looked up for the
  // matches only, and each file is reduced to its nearest hash here.
  const rows = await db.$queryRawUnsafe<PdqRow[]>(
    `SELECT m.*, (SELECT f."publicationId" FROM "ContentFingerprint" f WHERE f."id" = m."fingerprintId") AS "publicationId"
     FROM (${matched}) AS m`,
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
  const { rows: matched, values } = searchParameters(
    words,
    hashes,
    search,
    `h."fingerprintId"`,
    `h."alg" = 'vpdq' AND h."quality" >= $5
       AND EXISTS (SELECT 1 FROM unnest($1::int8[], $2::int8[], $3::int8[], $4::int8[]) AS q(h0, h1, h2, h3)
         WHERE ${[0, 1, 2, 3].map((w) => `bit_count((h."h${w}" # q.h${w})::bit(64))`).join(" + ")} <= $6)`,
  );
  const candidates = await db.$queryRawUnsafe<Array<{ fingerprintId: string }>>(
    `SELECT DISTINCT m."fingerprintId" FROM (${matched}) AS m`,
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

/**
 * vPDQ matching: Meta's rule for deciding that two videos are the same content, after
 * facebook/ThreatExchange `python-threatexchange/threatexchange/extensions/vpdq/` (`vpdq_util.py`:
 * the default thresholds, `dedupe`, `quality_filter`; `vpdq_brute_matcher.py`:
 * `match_VPDQ_hash_brute`) and `vpdq/cpp/vpdq/cpp/hashing/matchTwoHash.cpp` (`matchTwoHashBrute`).
 *
 * Each video is a list of frame hashes. Frames below the quality floor are dropped and repeated
 * hashes counted once; a frame of one video matches when some frame of the other is within the
 * distance. The query match percentage is the share of the query's frames that match, the compared
 * match percentage the share of the other video's frames that match. The videos match when the
 * first reaches 80 % and the second 0 % (the reference's defaults): most of what the query shows is
 * in the other video, however long that one is.
 */

/** One frame of a vPDQ hash: its time in seconds, its PDQ hash (64 hex) and PDQ quality (0–100). */
export interface VpdqFrame {
  t: number;
  value: string;
  quality: number;
}

export interface VpdqMatchOptions {
  /** Largest Hamming distance between two frames that match (`VPDQ_DISTANCE_THRESHOLD`, 31). */
  distance?: number;
  /** Frames of lower quality are ignored (`VPDQ_QUALITY_THRESHOLD`, 50). */
  qualityFloor?: number;
  /** `VPDQ_QUERY_MATCH_THRESHOLD_PERCENT`, 80. */
  queryMatchPercent?: number;
  /** `VPDQ_INDEX_MATCH_THRESHOLD_PERCENT`, 0. */
  comparedMatchPercent?: number;
}

export interface VpdqMatchResult {
  /** Whether both percentages reach their thresholds (and neither video is left without frames). */
  match: boolean;
  queryMatchPercent: number;
  comparedMatchPercent: number;
  /** The smallest distance between a frame of one and a frame of the other; null without frames. */
  distance: number | null;
}

export const VPDQ_DEFAULTS = {
  distance: 31,
  qualityFloor: 50,
  queryMatchPercent: 80,
  comparedMatchPercent: 0,
} as const satisfies Required<VpdqMatchOptions>;

/** The distinct hashes, as 64-bit words, of the frames at or above the quality floor. */
function usableFrames(frames: readonly VpdqFrame[], qualityFloor: number): bigint[][] {
  const seen = new Set<string>();
  const words: bigint[][] = [];
  for (const frame of frames) {
    const value = frame.value.toLowerCase();
    if (frame.quality < qualityFloor || seen.has(value)) continue;
    seen.add(value);
    words.push([0, 16, 32, 48].map((i) => BigInt(`0x${value.slice(i, i + 16)}`)));
  }
  return words;
}

function popcount64(x: bigint): number {
  let n = 0;
  for (; x; x &= x - 1n) n++;
  return n;
}

const distance = (a: bigint[], b: bigint[]) =>
  popcount64(a[0]! ^ b[0]!) + popcount64(a[1]! ^ b[1]!) + popcount64(a[2]! ^ b[2]!) + popcount64(a[3]! ^ b[3]!);

/**
 * For every frame of each video, the distance to the nearest frame of the other: one pass over
 * the pairs gives both directions of `match_VPDQ_in_another` and the smallest distance.
 */
function nearest(q: bigint[][], c: bigint[][]): { query: number[]; compared: number[] } {
  const query = q.map(() => Infinity);
  const compared = c.map(() => Infinity);
  q.forEach((a, i) =>
    c.forEach((b, j) => {
      const d = distance(a, b);
      if (d < query[i]!) query[i] = d;
      if (d < compared[j]!) compared[j] = d;
    }),
  );
  return { query, compared };
}

const percentWithin = (nearestDistances: number[], max: number) =>
  (nearestDistances.filter((d) => d <= max).length * 100) / nearestDistances.length;

/**
 * Compares a query video with another (`match_VPDQ_hash_brute` and the index's thresholds). Frame
 * distances count as a match up to and including `distance`, as the Python reference does (its
 * C++ brute-force matcher compares with `<`).
 */
export function matchVpdq(
  query: readonly VpdqFrame[],
  compared: readonly VpdqFrame[],
  options: VpdqMatchOptions = {},
): VpdqMatchResult {
  const o = { ...VPDQ_DEFAULTS, ...options };
  const q = usableFrames(query, o.qualityFloor);
  const c = usableFrames(compared, o.qualityFloor);
  if (q.length === 0 || c.length === 0) {
    return { match: false, queryMatchPercent: 0, comparedMatchPercent: 0, distance: null };
  }
  const near = nearest(q, c);
  const queryMatchPercent = percentWithin(near.query, o.distance);
  const comparedMatchPercent = percentWithin(near.compared, o.distance);
  return {
    match: queryMatchPercent >= o.queryMatchPercent && comparedMatchPercent >= o.comparedMatchPercent,
    queryMatchPercent,
    comparedMatchPercent,
    distance: near.query.reduce((min, d) => Math.min(min, d), Infinity),
  };
}

// Whether two videos match by vPDQ, with the rule of Meta's reference: ThreatExchange
// vpdq/README.md ("Comparison (Matching) Algorithm") as python-threatexchange implements it
// (vpdq_brute_matcher.py match_VPDQ_hash_brute, vpdq.py compare_hash): frames are a bag of
// hashes; duplicates and low-quality frames are dropped; a frame matches when some frame of the
// other video is within the distance.
import { pdqDistance } from "./bits.ts";

export interface VpdqFrameHash {
  value: string;
  quality: number;
}

/** Meta's defaults (python-threatexchange vpdq_util.py). */
export const VPDQ_DEFAULTS = {
  /** Frames match at this Hamming distance or less. */
  distanceThreshold: 31,
  /** Frames below this quality are not compared. */
  qualityThreshold: 50,
  /** Share of the query's distinct frames that must match, in percent. */
  queryMatchPercent: 80,
  /** Share of the compared video's distinct frames that must match, in percent. */
  comparedMatchPercent: 0,
} as const;

export type VpdqMatchOptions = Partial<Record<keyof typeof VPDQ_DEFAULTS, number>>;

export interface VpdqMatch {
  match: boolean;
  /** Percent of the query's distinct frames (of sufficient quality) that have a match. */
  queryMatchPercent: number;
  /** Percent of the compared video's distinct frames (of sufficient quality) that have a match. */
  comparedMatchPercent: number;
}

/** Distinct hashes (the first frame of each kept, as the reference's dedupe), then the quality filter. */
function usable(frames: readonly VpdqFrameHash[], qualityThreshold: number): string[] {
  const first = new Map<string, number>();
  for (const frame of frames) {
    const value = frame.value.toLowerCase();
    if (!first.has(value)) first.set(value, frame.quality);
  }
  return [...first].filter(([, quality]) => quality >= qualityThreshold).map(([value]) => value);
}

const share = (from: string[], among: string[], distance: number) =>
  from.length === 0
    ? 0
    : (from.filter((a) => among.some((b) => pdqDistance(a, b) <= distance)).length * 100) / from.length;

/**
 * Compares a query video with another. With no usable frame on either side (all below the
 * quality threshold), both percentages are 0 and there is no match, as in the reference.
 */
export function vpdqMatch(
  query: readonly VpdqFrameHash[],
  compared: readonly VpdqFrameHash[],
  options: VpdqMatchOptions = {},
): VpdqMatch {
  const o = { ...VPDQ_DEFAULTS, ...options };
  const q = usable(query, o.qualityThreshold);
  const c = usable(compared, o.qualityThreshold);
  if (q.length === 0 || c.length === 0) return { match: false, queryMatchPercent: 0, comparedMatchPercent: 0 };
  const queryMatchPercent = share(q, c, o.distanceThreshold);
  const comparedMatchPercent = share(c, q, o.distanceThreshold);
  return {
    match: queryMatchPercent >= o.queryMatchPercent && comparedMatchPercent >= o.comparedMatchPercent,
    queryMatchPercent,
    comparedMatchPercent,
  };
}

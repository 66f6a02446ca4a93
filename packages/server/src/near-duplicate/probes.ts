import { BAND_WIDTHS, BANDS } from "./hash.ts";

/** The masks of `width` bits with at most `radius` bits set, by width and radius. */
const masksCache = new Map<string, number[]>();

function masks(width: number, radius: number): number[] {
  const key = `${width}/${radius}`;
  let list = masksCache.get(key);
  if (!list) {
    list = [];
    const add = (mask: number, from: number, left: number) => {
      list!.push(mask);
      if (left > 0) for (let bit = from; bit < width; bit++) add(mask | (1 << bit), bit + 1, left - 1);
    };
    add(0, 0, radius);
    masksCache.set(key, list);
  }
  return list;
}

/**
 * Every value within `radius` bits of a band's value: the keys that band's index is probed with.
 * 1 + w at radius 1, 1 + w + w(w−1)/2 at radius 2 (277 for a band of 23 bits); none at −1.
 */
export function bandProbes(band: number, width: number, radius: number): number[] {
  if (radius < 0) return [];
  return masks(width, radius).map((m) => (band ^ m) >>> 0);
}

/**
 * How far each band is probed for a threshold (−1: not at all), by the generalised pigeonhole
 * principle (Qin, Xiao, Wang, Zhang, "Generalizing the Pigeonhole Principle for Similarity Search
 * in Hamming Space", IEEE TKDE 2021): if band i is probed within r_i bits and
 * Σ (r_i + 1) > threshold, two hashes within the threshold share a probed key in some band, for
 * were every band i at least r_i + 1 bits apart the hashes would be more than the threshold apart.
 * The radii are spread as evenly as that allows, the larger ones on the narrower bands (fewer keys
 * each): 31 gives radius 2 to the ten last bands and 1 to the first (2,843 keys); 0 probes one
 * band for its own value.
 */
export function bandRadii(threshold: number): number[] {
  const needed = threshold + 1;
  const base = Math.floor(needed / BANDS);
  const raised = needed % BANDS;
  return BAND_WIDTHS.map((_, i) => (i >= BANDS - raised ? base : base - 1));
}

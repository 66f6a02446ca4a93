import { BAND_BITS, toSigned16 } from "./hash.ts";

/** The masks of `BAND_BITS` bits with at most `radius` bits set, by radius. */
const masksCache = new Map<number, number[]>();

function masks(radius: number): number[] {
  let list = masksCache.get(radius);
  if (!list) {
    list = [];
    for (let m = 0; m < 1 << BAND_BITS; m++) if (popcount16(m) <= radius) list.push(m);
    masksCache.set(radius, list);
  }
  return list;
}

function popcount16(x: number): number {
  let n = 0;
  for (; x; x &= x - 1) n++;
  return n;
}

/**
 * Every band value within `radius` bits of a stored (signed) band value: the keys one band's
 * B-tree is probed with. 1 + 16 at radius 1, 1 + 16 + 120 at radius 2.
 */
export function bandProbes(band: number, radius: number): number[] {
  const unsigned = band & 0xffff;
  return masks(radius).map((m) => toSigned16(unsigned ^ m));
}

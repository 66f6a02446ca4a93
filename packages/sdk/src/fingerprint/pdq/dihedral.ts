// The hashes of the image rotated or mirrored, from its DCT alone: a rotation or a flip of the
// image only transposes the DCT and flips the sign of odd frequencies. Follows the
// dct16OriginalTo* functions of ThreatExchange pdq/cpp/hashing/pdqhashing.cpp (their comment
// tabulates the signs).

/** The eight symmetries of the square (the dihedral group D4), named as the reference names them. */
export const PDQ_DIHEDRAL_VARIANTS = [
  "original",
  "rotate90",
  "rotate180",
  "rotate270",
  "flipX",
  "flipY",
  "flipPlus1",
  "flipMinus1",
] as const;
export type PdqDihedralVariant = (typeof PDQ_DIHEDRAL_VARIANTS)[number];

/** Whether the variant transposes, and the sign of coefficient (i, j) of the original. */
const RULES: Record<PdqDihedralVariant, { transpose: boolean; negate: (i: number, j: number) => boolean }> = {
  original: { transpose: false, negate: () => false },
  rotate90: { transpose: true, negate: (_i, j) => (j & 1) === 0 },
  rotate180: { transpose: false, negate: (i, j) => ((i + j) & 1) === 1 },
  rotate270: { transpose: true, negate: (i) => (i & 1) === 0 },
  flipX: { transpose: false, negate: (i) => (i & 1) === 0 },
  flipY: { transpose: false, negate: (_i, j) => (j & 1) === 0 },
  flipPlus1: { transpose: true, negate: () => false },
  flipMinus1: { transpose: true, negate: (i, j) => ((i + j) & 1) === 1 },
};

/** The 16×16 DCT of the variant of the image whose DCT is `a`, written into `b`. */
export function dihedralDct(variant: PdqDihedralVariant, a: Float32Array, b: Float32Array): void {
  const { transpose, negate } = RULES[variant];
  for (let i = 0; i < 16; i++) {
    for (let j = 0; j < 16; j++) {
      const value = a[i * 16 + j]!;
      b[transpose ? j * 16 + i : i * 16 + j] = negate(i, j) ? -value : value;
    }
  }
}

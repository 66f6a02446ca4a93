// PDQ, Meta's perceptual image hash, on pixels already decoded: luminance, Jarosz-filter
// downsampling to 64×64, 16×16 DCT, median threshold, quality. Follows ThreatExchange
// pdq/cpp/hashing/pdqhashing.cpp (fillFloatLumaFromRGB, fillFloatLumaFromGrey,
// pdqHash256FromFloatLuma, pdqFloat256FromFloatLuma, pdqDihedralHash256esFromFloatLuma); the
// algorithm is described in Meta's "The TMK+PDQF and PDQ hashing algorithms" (2017).
// No Node or DOM API here: this runs in browsers, workers and Node alike.
import { bitsFromDct, hexFromBits } from "./bits.ts";
import { dct64To16 } from "./dct.ts";
import { PDQ_DIHEDRAL_VARIANTS, dihedralDct, type PdqDihedralVariant } from "./dihedral.ts";
import { decimate, jaroszFilter, jaroszWindowSize } from "./jarosz.ts";
import { pdqQuality } from "./quality.ts";

/** A PDQ hash: 64 hexadecimal digits, and the quality 0–100 (below 50 Meta advises not to match on it). */
export interface PdqHash {
  hash: string;
  quality: number;
}

/** Decoded pixels, row-major, `channels` bytes a pixel: 1 grey, 2 grey+alpha, 3 RGB, 4 RGBA (alpha is ignored). */
export interface PdqPixels {
  data: Uint8Array | Uint8ClampedArray;
  width: number;
  height: number;
  channels: 1 | 2 | 3 | 4;
}

/** Images smaller than this in either direction get the all-zero hash and quality 0, as in the reference. */
const MIN_HASHABLE_DIM = 5;
const JAROSZ_PASSES = 2;

const f = Math.fround;
const LUMA_R = f(0.299);
const LUMA_G = f(0.587);
const LUMA_B = f(0.114);

/** Luminance Y = 0.299 R + 0.587 G + 0.114 B in float32, or the grey value itself. */
export function lumaFromPixels(pixels: PdqPixels): Float32Array {
  const { data, width, height, channels } = pixels;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 0 || height < 0)
    throw new RangeError("width and height must be non-negative integers");
  if (data.length !== width * height * channels)
    throw new RangeError(
      `expected ${width * height * channels} bytes for ${width}×${height}×${channels}, got ${data.length}`,
    );
  const luma = new Float32Array(width * height);
  if (channels >= 3) {
    for (let p = 0, o = 0; p < luma.length; p++, o += channels) {
      luma[p] = f(f(f(LUMA_R * data[o]!) + f(LUMA_G * data[o + 1]!)) + f(LUMA_B * data[o + 2]!));
    }
  } else {
    for (let p = 0, o = 0; p < luma.length; p++, o += channels) luma[p] = data[o]!;
  }
  return luma;
}

/** The 16×16 DCT and the quality of a luma image; `luma` is overwritten (it is the filter's buffer). */
function dctAndQuality(luma: Float32Array, width: number, height: number, shortcut64: boolean) {
  const buffer64x64 = new Float32Array(64 * 64);
  if (shortcut64 && width === 64 && height === 64) {
    // Already 64×64 (e.g. a video frame the decoder scaled): used as is, like the reference.
    buffer64x64.set(luma);
  } else {
    const scratch = new Float32Array(luma.length);
    jaroszFilter(
      luma,
      scratch,
      height,
      width,
      jaroszWindowSize(width, 64),
      jaroszWindowSize(height, 64),
      JAROSZ_PASSES,
    );
    decimate(luma, height, width, buffer64x64, 64, 64);
  }
  const dct = new Float32Array(16 * 16);
  dct64To16(buffer64x64, new Float32Array(16 * 64), dct);
  return { dct, quality: pdqQuality(buffer64x64) };
}

const ZERO_HASH = "0".repeat(64);

/** PDQ of a luma image (width × height float32, row-major). The array is used as scratch. */
export function pdqFromLuma(luma: Float32Array, width: number, height: number): PdqHash {
  if (width < MIN_HASHABLE_DIM || height < MIN_HASHABLE_DIM) return { hash: ZERO_HASH, quality: 0 };
  const { dct, quality } = dctAndQuality(luma, width, height, true);
  return { hash: hexFromBits(bitsFromDct(dct)), quality };
}

/** PDQ of decoded pixels (e.g. a canvas's ImageData with channels 4, or sharp's raw output). */
export function pdqFromPixels(pixels: PdqPixels): PdqHash {
  return pdqFromLuma(lumaFromPixels(pixels), pixels.width, pixels.height);
}

/**
 * The hashes of the eight rotations and mirror images of the picture, from one downsample: a
 * copy that was rotated or mirrored matches one of them. Quality is the same for all eight.
 */
export function pdqDihedralFromPixels(pixels: PdqPixels): {
  quality: number;
  hashes: Record<PdqDihedralVariant, string>;
} {
  const { width, height } = pixels;
  const hashes = {} as Record<PdqDihedralVariant, string>;
  if (width < MIN_HASHABLE_DIM || height < MIN_HASHABLE_DIM) {
    for (const variant of PDQ_DIHEDRAL_VARIANTS) hashes[variant] = ZERO_HASH;
    return { quality: 0, hashes };
  }
  const { dct, quality } = dctAndQuality(lumaFromPixels(pixels), width, height, false);
  const variantDct = new Float32Array(16 * 16);
  for (const variant of PDQ_DIHEDRAL_VARIANTS) {
    dihedralDct(variant, dct, variantDct);
    hashes[variant] = hexFromBits(bitsFromDct(variantDct));
  }
  return { quality, hashes };
}

/**
 * Meta's suggested thresholds for PDQ (pdq/README.md): two images match at a Hamming distance of
 * 31 or less, and hashes below quality 50 are too flat to match on.
 */
export const PDQ_MATCH_DEFAULTS = { distanceThreshold: 31, qualityThreshold: 50 } as const;

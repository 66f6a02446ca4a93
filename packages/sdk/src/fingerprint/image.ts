import { MediaFingerprintError } from "./errors.ts";
import { pdqDihedralFromPixels, pdqFromPixels, type PdqHash } from "./pdq/index.ts";
import type { PdqDihedralVariant } from "./pdq/dihedral.ts";

/**
 * Images larger than this in either direction are scaled to it before hashing, as Meta's
 * reference tool does (pdqio.cpp, DOWNSAMPLE_DIMS): the 64×64 downsample is the same to within a
 * few bits and the decoder can use JPEG's shrink-on-load, which makes large photos fast.
 */
export const PDQ_DECODE_DIMENSION = 512;

/** Pixels larger than this are refused before decoding (a decompression bomb), as sharp's default. */
const MAX_INPUT_PIXELS = 268_402_689;

/** sharp is an optional peer dependency: loaded when an image is first decoded, so that videos and `pdqFromPixels` work without it. */
async function loadSharp() {
  try {
    return (await import("sharp")).default;
  } catch (error) {
    throw new MediaFingerprintError(
      "sharp_unavailable",
      "Image fingerprints need the sharp package next to @vergewis/sdk: npm install sharp.",
      { cause: error },
    );
  }
}

/** Decoded RGB: EXIF orientation applied, CMYK and grey turned to sRGB, alpha dropped. */
async function decode(input: string | Uint8Array, name: string | undefined) {
  const sharp = await loadSharp();
  try {
    return await sharp(input, { failOn: "error", limitInputPixels: MAX_INPUT_PIXELS, animated: false })
      .rotate()
      .resize(PDQ_DECODE_DIMENSION, PDQ_DECODE_DIMENSION, { fit: "fill", withoutEnlargement: true })
      .toColourspace("srgb")
      .removeAlpha()
      .raw()
      .toBuffer({ resolveWithObject: true });
  } catch (error) {
    const what = name ?? (typeof input === "string" ? input : "the image");
    throw new MediaFingerprintError(
      "media_unreadable",
      `${what} could not be decoded as an image: ${(error as Error).message}`,
      { cause: error, ...(typeof input === "string" ? { file: input } : {}) },
    );
  }
}

/**
 * PDQ of an image file or its bytes, decoded with sharp (JPEG, PNG, WebP, GIF (first frame),
 * AVIF, TIFF). A bad or truncated image rejects with `MediaFingerprintError` code
 * `media_unreadable`.
 */
export async function pdqFromImage(input: string | Uint8Array, options: { name?: string } = {}): Promise<PdqHash> {
  const { data, info } = await decode(input, options.name);
  return pdqFromPixels({ data, width: info.width, height: info.height, channels: info.channels as 3 });
}

/** The hashes of the eight rotations and mirror images of an image file (see `pdqDihedralFromPixels`). */
export async function pdqDihedralFromImage(
  input: string | Uint8Array,
  options: { name?: string } = {},
): Promise<{ quality: number; hashes: Record<PdqDihedralVariant, string> }> {
  const { data, info } = await decode(input, options.name);
  return pdqDihedralFromPixels({ data, width: info.width, height: info.height, channels: info.channels as 3 });
}

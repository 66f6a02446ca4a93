// `@vergewis/sdk/fingerprint`: perceptual fingerprints of files on Node. Images are decoded with
// sharp (an optional peer dependency: install it next to the SDK) and videos with the ffmpeg
// program; the PDQ core itself (`pdqFromPixels`, also in the browser build) needs neither.
export { MediaFingerprintError, type MediaFingerprintErrorCode } from "./fingerprint/errors.ts";
export { PDQ_DECODE_DIMENSION, pdqDihedralFromImage, pdqFromImage } from "./fingerprint/image.ts";
export { fingerprintFile, fingerprintLine, type MediaFingerprintOptions } from "./fingerprint/media.ts";
export { mediaKindOf, type MediaKind } from "./fingerprint/media-type.ts";
export * from "./fingerprint/pdq/index.ts";
export { vpdqFromVideo, type VpdqOptions } from "./fingerprint/video.ts";
export {
  matchVpdq,
  VPDQ_DEFAULTS,
  type VpdqFrame,
  type VpdqMatchOptions,
  type VpdqMatchResult,
} from "./fingerprint/vpdq-match.ts";
export {
  fileFingerprintsSchema,
  mediaFingerprintSchema,
  vpdqFrameSchema,
  type FileFingerprints,
  type MediaFingerprint,
} from "./schemas/fingerprint.ts";

import { sha256 } from "@noble/hashes/sha2.js";
import { bytesToHex } from "@noble/hashes/utils.js";
import { z } from "zod";
import { canonicalJson } from "../canonical.ts";

/**
 * Fingerprint algorithms: `sha-256` identifies the exact file; `pdq` (Meta's 256-bit perceptual
 * hash of an image) and `vpdq` (one PDQ hash per sampled frame of a video) find near-duplicates.
 * As stored and named (publications, consent documents, receipts) each is 256 bits, written as 64
 * hexadecimal characters: a `vpdq` fingerprint by the SHA-256 of its frames (`vpdqDigest`).
 */
export const FINGERPRINT_ALGS = ["sha-256", "pdq", "vpdq"] as const;
export type FingerprintAlg = (typeof FINGERPRINT_ALGS)[number];

const hex256 = z
  .string()
  .regex(/^[0-9a-fA-F]{64}$/, "must be 64 hexadecimal characters (256 bits)")
  .transform((v) => v.toLowerCase());

export const fingerprintSchema = z.strictObject({
  alg: z.enum(FINGERPRINT_ALGS),
  value: hex256,
});
export type Fingerprint = z.output<typeof fingerprintSchema>;
/** A fingerprint as a client may send it: the hexadecimal value in either case. */
export type FingerprintInput = z.input<typeof fingerprintSchema>;

const quality = z.number().int().min(0).max(100);

/** One frame of a vPDQ fingerprint: `t` seconds from the start, its PDQ hash and quality. */
export const vpdqFrameSchema = z.object({
  t: z.number().min(0),
  value: hex256,
  quality,
});

/**
 * One fingerprint of a file as `fingerprintFile` of `@vergewis/sdk/fingerprint` gives it:
 * `sha-256` (the exact bytes), `pdq` (an image: 64 hex digits and quality 0–100) or `vpdq` (a
 * video: one PDQ hash per sampled frame).
 */
export const mediaFingerprintSchema = z.discriminatedUnion("alg", [
  z.object({ alg: z.literal("sha-256"), value: hex256 }),
  z.object({ alg: z.literal("pdq"), value: hex256, quality }),
  z.object({ alg: z.literal("vpdq"), frames: z.array(vpdqFrameSchema) }),
]);
export type MediaFingerprint = z.output<typeof mediaFingerprintSchema>;

/**
 * The most frames a `vpdq` fingerprint may carry in a request: 15 minutes at one frame a second,
 * which keeps the largest such fingerprint within the API's 100 kB body. Fingerprint a longer
 * video at a longer interval (`vpdqFromVideo(file, { secondsPerHash })`).
 */
export const MAX_VPDQ_FRAMES = 900;

/**
 * The 64-hex-digit name of a `vpdq` fingerprint: SHA-256 over the RFC 8785 JSON of its frames
 * `[{"quality":…,"t":…,"value":…},…]` in their order, hashes in lower case. The same frames give the
 * same name, so a video fingerprinted again the same way is matched exactly, as a file's SHA-256 is.
 */
export function vpdqDigest(frames: ReadonlyArray<{ t: number; value: string; quality: number }>): string {
  const canonical = canonicalJson(frames.map((f) => ({ t: f.t, value: f.value.toLowerCase(), quality: f.quality })));
  return bytesToHex(sha256(new TextEncoder().encode(canonical)));
}

/**
 * One file's fingerprint in a request (`contentFingerprints` of a publication request, the
 * fingerprint of `POST /v1/check` and of the gate), as `fingerprintFile` and `vergewis fingerprint`
 * give it: `sha-256`; `pdq` with its quality (optional: a PDQ hash without it is matched exactly
 * only); or `vpdq` with its frames. Parsed, every kind has its name in `value` (a `vpdq`
 * fingerprint its `vpdqDigest`), so that it is stored and consented to as `{ alg, value }`.
 */
export const contentFingerprintSchema = z.discriminatedUnion("alg", [
  z.strictObject({ alg: z.literal("sha-256"), value: hex256 }),
  z.strictObject({ alg: z.literal("pdq"), value: hex256, quality: quality.optional() }),
  z
    .strictObject({
      alg: z.literal("vpdq"),
      frames: z.array(z.strictObject(vpdqFrameSchema.shape)).min(1).max(MAX_VPDQ_FRAMES),
    })
    .transform((v) => ({ ...v, value: vpdqDigest(v.frames) })),
]);
export type ContentFingerprint = z.output<typeof contentFingerprintSchema>;
/**
 * A content fingerprint as a client sends it. A `Fingerprint` (`{ alg, value }`) type-checks too,
 * as every `sha-256` or `pdq` one is valid; a `vpdq` fingerprint needs its frames, its name alone is refused.
 */
export type ContentFingerprintInput = z.input<typeof contentFingerprintSchema> | FingerprintInput;

/**
 * The fingerprints of one file, the line `vergewis fingerprint FILE` prints:
 * `{"file":…,"fingerprints":[{"alg":"sha-256","value":…},{"alg":"pdq","value":…,"quality":…}]}`.
 */
export const fileFingerprintsSchema = z.object({
  file: z.string(),
  fingerprints: z.array(mediaFingerprintSchema).min(1),
});
export type FileFingerprints = z.output<typeof fileFingerprintsSchema>;

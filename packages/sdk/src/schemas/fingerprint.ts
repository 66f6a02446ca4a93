import { z } from "zod";

/**
 * Fingerprint algorithms: `sha-256` identifies the exact file; `pdq` (Meta's 256-bit perceptual
 * hash) finds near-duplicates. Both are 256 bits, written as 64 hexadecimal characters.
 */
export const FINGERPRINT_ALGS = ["sha-256", "pdq"] as const;
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
 * The fingerprints of one file, the line `vergewis fingerprint FILE` prints:
 * `{"file":…,"fingerprints":[{"alg":"sha-256","value":…},{"alg":"pdq","value":…,"quality":…}]}`.
 */
export const fileFingerprintsSchema = z.object({
  file: z.string(),
  fingerprints: z.array(mediaFingerprintSchema).min(1),
});
export type FileFingerprints = z.output<typeof fileFingerprintsSchema>;

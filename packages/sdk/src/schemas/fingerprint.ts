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

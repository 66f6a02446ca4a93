import { z } from "zod";
import { contentFingerprintSchema } from "./fingerprint.ts";
import { PUBLICATION_STATUSES } from "./publication.ts";
import { PURPOSES, territorySchema } from "./scope.ts";

/**
 * The content, and the use asked about: `purpose` (default `publish`: what the check always meant)
 * and the viewer's `territory` (ISO 3166-1 alpha-2). Without a territory the answer holds for the
 * territories the content was consented for, which the check does not judge.
 */
export const checkRequestSchema = z.strictObject({
  fingerprint: contentFingerprintSchema,
  purpose: z.enum(PURPOSES).default("publish"),
  territory: territorySchema.optional(),
});
export type CheckRequest = z.input<typeof checkRequestSchema>;

/**
 * Why a check came out as it did. `cleared`: every depicted person consented; `pending`: not yet;
 * `declined` / `expired`: never will; `revoked`: consent was withdrawn (or the publication was taken
 * down), take it down and refuse re-uploads: requesting it again is refused too until the performer
 * who withdrew allows it again; `reported`: a report on the content is open or was upheld;
 * `unknown`: this platform has no publication request for the content; `purpose_not_consented` /
 * `territory_not_consented`: it is cleared, but its signed scope does not name the purpose or the
 * viewer's territory asked about.
 */
export const CHECK_REASONS = [
  "cleared",
  "pending",
  "declined",
  "expired",
  "revoked",
  "reported",
  "unknown",
  "purpose_not_consented",
  "territory_not_consented",
] as const;
export type CheckReason = (typeof CHECK_REASONS)[number];

/**
 * A refusal because the content is a near-duplicate of blocked content: the publication whose file
 * matched (`publicationId` of the result), the perceptual algorithm and the Hamming distance (of
 * 256 bits; for `vpdq` the smallest distance between two matching frames, with the shares of the
 * checked and of the stored video's frames that matched).
 */
export const nearDuplicateSchema = z.object({
  alg: z.enum(["pdq", "vpdq"]),
  distance: z.number().int().min(0).max(256),
  queryMatchPercent: z.number().optional(),
  comparedMatchPercent: z.number().optional(),
});
export type NearDuplicate = z.output<typeof nearDuplicateSchema>;

export const checkResultSchema = z.object({
  allowed: z.boolean(),
  publicationId: z.uuid().optional(),
  status: z.enum([...PUBLICATION_STATUSES, "unknown"]),
  reason: z.enum(CHECK_REASONS),
  /** Set when the refusal comes from a near-duplicate, not from the content's own fingerprint. */
  nearDuplicate: nearDuplicateSchema.optional(),
});
export type CheckResult = z.output<typeof checkResultSchema>;

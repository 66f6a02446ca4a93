import { z } from "zod";
import { fingerprintSchema } from "./fingerprint.ts";
import { PUBLICATION_STATUSES } from "./publication.ts";

export const checkRequestSchema = z.strictObject({ fingerprint: fingerprintSchema });
export type CheckRequest = z.input<typeof checkRequestSchema>;

/**
 * Why a check came out as it did. `cleared`: every depicted person consented; `pending`: not yet;
 * `declined` / `expired`: never will; `revoked`: consent was withdrawn, take it down and refuse
 * re-uploads; `reported`: someone reported the content and the report is open; `unknown`: this
 * platform has no publication request for the content.
 */
export const CHECK_REASONS = ["cleared", "pending", "declined", "expired", "revoked", "reported", "unknown"] as const;
export type CheckReason = (typeof CHECK_REASONS)[number];

export const checkResultSchema = z.object({
  allowed: z.boolean(),
  publicationId: z.uuid().optional(),
  status: z.enum([...PUBLICATION_STATUSES, "unknown"]),
  reason: z.enum(CHECK_REASONS),
});
export type CheckResult = z.output<typeof checkResultSchema>;

import { z } from "zod";
import { COUNTRY_CODES } from "./countries.ts";
import { contentFingerprintSchema, fingerprintSchema } from "./fingerprint.ts";
import { instantSchema } from "./scope.ts";
import { text } from "./text.ts";
import { whenValid } from "./when-valid.ts";
import { MATCH_ALGORITHMS, REPORT_CATEGORIES, REPORT_EFFECTS, REPORTER_KINDS } from "./webhook-event.ts";

/**
 * A notice (DSA art. 16) from anyone who is depicted without having been asked, or acts for them:
 * `POST /v1/reports`, no account needed. It names the content by fingerprint or by the URL where it
 * is published, says why (category and explanation) and may leave a contact for follow-up, which
 * Vergewis keeps to itself (it is not passed to the platform).
 */
export const reportRequestSchema = z
  .strictObject({
    /**
     * As in a publication request: `sha-256`, `pdq` with its quality, or `vpdq` with its frames.
     * A perceptual hash is also searched as near duplicates; a `pdq` hash without its quality, or
     * below the instance's quality floor, is matched exactly only.
     */
    fingerprint: contentFingerprintSchema.optional(),
    /** Normalised (WHATWG URL serialisation), as it is matched and stored. */
    url: z
      .url({ protocol: /^https?$/, error: "must be an http(s) URL" })
      .max(2048)
      .transform((u) => new URL(u).href)
      .optional(),
    category: z.enum(REPORT_CATEGORIES),
    description: text(10, 5000),
    contact: text(3, 320).optional(),
  })
  .refine((r) => r.fingerprint !== undefined || r.url !== undefined, {
    message: "name the content by fingerprint or url",
    path: ["fingerprint"],
    when: whenValid("fingerprint", "url"),
  });
export type ReportRequest = z.input<typeof reportRequestSchema>;

/**
 * The acknowledgement of receipt (DSA art. 16(4)). It does not say whether or where the content
 * was found: that would let anyone probe which content is published where.
 */
export const reportReceiptSchema = z.object({
  id: z.uuid(),
  receivedAt: instantSchema,
  trustedFlagger: z.boolean(),
  /** Who the report counts as from, and what it does to matching content while open. */
  reporter: z.enum(REPORTER_KINDS),
  effect: z.enum(REPORT_EFFECTS),
});
export type ReportReceipt = z.output<typeof reportReceiptSchema>;

/**
 * What the platform decided (DSA art. 17(1)): `removed` (the content is gone), `access_disabled`
 * (not available, e.g. in some territories), `no_action` (the report is unfounded).
 */
export const REPORT_DECISIONS = ["removed", "access_disabled", "no_action"] as const;
export type ReportDecision = (typeof REPORT_DECISIONS)[number];

/** A statement of reasons, with the fields of DSA art. 17(3). */
export const reportResolutionSchema = z
  .strictObject({
    decision: z.enum(REPORT_DECISIONS),
    /** Art. 17(3)(a): where access was disabled; omitted: everywhere. */
    territorialScope: z
      .array(z.string().refine((c) => COUNTRY_CODES.has(c), "must be an ISO 3166-1 alpha-2 country code"))
      .min(1)
      .transform((codes) => [...new Set(codes)].sort())
      .optional(),
    /** Art. 17(3)(b): the facts and circumstances relied on. */
    facts: text(1, 5000),
    /** Art. 17(3)(c): whether automated means detected the content or took the decision. */
    automatedDetection: z.boolean(),
    automatedDecision: z.boolean(),
    /** Art. 17(3)(d): the legal ground, for content held illegal. */
    legalGround: text(1, 2000).optional(),
    /** Art. 17(3)(e): the terms and conditions relied on, for content held incompatible with them. */
    contractualGround: text(1, 2000).optional(),
    /** Art. 17(3)(f): how the decision can be contested (internal complaint, out-of-court, court). */
    redress: text(1, 2000),
    /**
     * When the content was removed or disabled; defaults to now. Not before the report was received,
     * not in the future (the server checks both against its own clock and answers 422).
     */
    removedAt: instantSchema.optional(),
  })
  .superRefine((r, ctx) => {
    const acted = r.decision !== "no_action";
    if (acted && r.legalGround === undefined && r.contractualGround === undefined) {
      ctx.addIssue({ code: "custom", path: ["legalGround"], message: "name a legal or a contractual ground" });
    }
    if (!acted && r.removedAt !== undefined) {
      ctx.addIssue({ code: "custom", path: ["removedAt"], message: "only for removed or disabled content" });
    }
    if (r.decision !== "access_disabled" && r.territorialScope !== undefined) {
      ctx.addIssue({ code: "custom", path: ["territorialScope"], message: "only when access is disabled" });
    }
  });
export type ReportResolution = z.input<typeof reportResolutionSchema>;

/** `open`: to be reviewed; `upheld`: content removed or disabled; `rejected`: no action. */
export const REPORT_STATUSES = ["open", "upheld", "rejected"] as const;
export type ReportStatus = (typeof REPORT_STATUSES)[number];

/** A report as the platform sees it: one per matched publication. */
export const reportSchema = z.object({
  id: z.uuid(),
  publicationId: z.uuid(),
  externalId: z.string(),
  category: z.enum(REPORT_CATEGORIES),
  description: z.string(),
  matchedBy: z.enum(["fingerprint", "url"]),
  /** By fingerprint: the algorithm that matched and the Hamming distance (0: the same hash). */
  algorithm: z.enum(MATCH_ALGORITHMS).nullable(),
  distance: z.number().int().min(0).nullable(),
  fingerprint: fingerprintSchema.nullable(),
  url: z.string().nullable(),
  trustedFlagger: z.object({ id: z.uuid(), name: z.string() }).nullable(),
  reporter: z.enum(REPORTER_KINDS),
  /** While open: `under_review` or `blocked`. Upheld: `blocked` (for good). Rejected: `none`. */
  effect: z.enum([...REPORT_EFFECTS, "none"]),
  status: z.enum(REPORT_STATUSES),
  overdue: z.boolean(),
  receivedAt: instantSchema,
  dueAt: instantSchema,
  overdueNotices: z.number().int(),
  resolvedAt: instantSchema.nullable(),
  resolution: z
    .object({
      decision: z.enum(REPORT_DECISIONS),
      territorialScope: z.array(z.string()).optional(),
      facts: z.string(),
      automatedDetection: z.boolean(),
      automatedDecision: z.boolean(),
      legalGround: z.string().optional(),
      contractualGround: z.string().optional(),
      redress: z.string(),
    })
    .nullable(),
  takedownId: z.uuid().nullable(),
});
export type Report = z.output<typeof reportSchema>;

export const reportListQuerySchema = z.strictObject({
  status: z.enum(REPORT_STATUSES).optional(),
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(100).optional(),
});
export type ReportListQuery = z.input<typeof reportListQuerySchema>;

/** Trusted flaggers' reports first, then by deadline: the order in which to handle them. */
export const reportListSchema = z.object({
  items: z.array(reportSchema),
  nextCursor: z.string().nullable(),
});
export type ReportList = z.output<typeof reportListSchema>;

import { z } from "zod";
import { instantSchema } from "./scope.ts";
import { whenValid } from "./when-valid.ts";

// The auditor API (/v1/audit) and the public log endpoints (/v1/log). Hashes are standard base64,
// as in checkpoints (C2SP tlog-checkpoint) and RFC 9162's JSON.

/** A SHA-256 value in standard base64. */
export const hashSchema = z.string().regex(/^[A-Za-z0-9+/]{42}[AEIMQUYcgkosw048]=$/, "must be a base64 SHA-256 hash");

const leafIndex = z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
const treeSize = z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER);

/** Event types are dotted lower-case names (`takedown.requested`); several are comma-separated. */
const eventTypes = z
  .string()
  .regex(/^[a-z][a-z_]*(\.[a-z][a-z_]*)+(,[a-z][a-z_]*(\.[a-z][a-z_]*)+)*$/, "must be event types separated by commas")
  .transform((v) => [...new Set(v.split(","))]);

/** One log entry as auditors read it. Every field but `leafHash` is read from `entry` itself. */
export const auditEventSchema = z.object({
  index: z.number().int(),
  type: z.string(),
  time: z.string(),
  platformId: z.string().nullable(),
  publicationId: z.string().nullable(),
  performerPseudonym: z.string().nullable(),
  /**
   * All-platform auditors only: the performer's own pseudonym behind a platform's pairwise one
   * (`performerPseudonym`), which links one performer's entries across platforms. Not part of
   * `entry`, so the log stays verifiable as it was written.
   */
  linkedPerformer: z.string().optional(),
  data: z.record(z.string(), z.unknown()),
  /** The entry exactly as hashed (RFC 8785 canonical JSON): SHA-256(0x00 || entry) = leafHash. */
  entry: z.string(),
  leafHash: hashSchema,
});
export type AuditEvent = z.output<typeof auditEventSchema>;

const eventFilters = {
  platform: z.uuid().optional(),
  publication: z.uuid().optional(),
  performer: z.string().min(1).max(200).optional(),
  type: eventTypes.optional(),
  /** Entry time at or after `from`, and before `to`. */
  from: instantSchema.optional(),
  to: instantSchema.optional(),
};

export const auditEventQuerySchema = z.strictObject({
  ...eventFilters,
  /** `asc` (default): log order; `desc`: newest first. */
  order: z.enum(["asc", "desc"]).optional(),
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(1000).optional(),
});
export type AuditEventQuery = z.input<typeof auditEventQuerySchema>;

export const auditEventListSchema = z.object({
  items: z.array(auditEventSchema),
  nextCursor: z.string().nullable(),
});
export type AuditEventList = z.output<typeof auditEventListSchema>;

export const EXPORT_FORMATS = ["jsonl", "csv"] as const;

/** Everything that matches the filters, in log order, streamed. */
export const auditExportQuerySchema = z.strictObject({
  ...eventFilters,
  format: z.enum(EXPORT_FORMATS).optional(),
});
export type AuditExportQuery = z.input<typeof auditExportQuerySchema>;

/** By leaf index or by leaf hash; `treeSize` defaults to the newest checkpoint that holds the leaf. */
export const inclusionProofQuerySchema = z
  .strictObject({
    index: leafIndex.optional(),
    leafHash: hashSchema.optional(),
    treeSize: treeSize.min(1).optional(),
  })
  .refine((q) => (q.index === undefined) !== (q.leafHash === undefined), {
    message: "give either index or leafHash",
    path: ["index"],
    when: whenValid("index", "leafHash"),
  });

export const inclusionProofSchema = z.object({
  index: z.number().int(),
  treeSize: z.number().int(),
  leafHash: hashSchema,
  /** RFC 9162 §2.1.3.1 audit path, leaf level first. */
  proof: z.array(hashSchema),
  /** The signed checkpoint of `treeSize`, when one was published. */
  checkpoint: z.string().nullable(),
});
export type InclusionProof = z.output<typeof inclusionProofSchema>;

/** `to` defaults to the newest checkpoint. */
export const consistencyProofQuerySchema = z
  .strictObject({ from: treeSize.min(1), to: treeSize.min(1).optional() })
  .refine((q) => q.to === undefined || q.from <= q.to, {
    message: "must not exceed to",
    path: ["from"],
    when: whenValid("from", "to"),
  });

export const consistencyProofSchema = z.object({
  from: z.number().int(),
  to: z.number().int(),
  /** RFC 9162 §2.1.4.1 consistency proof. */
  proof: z.array(hashSchema),
  checkpoint: z.string().nullable(),
});
export type ConsistencyProof = z.output<typeof consistencyProofSchema>;

/** A page of the raw log, for verifiers that download it all. */
export const logEntriesQuerySchema = z.strictObject({
  start: leafIndex,
  limit: z.coerce.number().int().min(1).max(10_000).optional(),
});

/**
 * The audit path of any leaf of the raw log, straight from the stored tree: hashes only, so any
 * auditor may ask for any index (verifiers use it to find the first entry that changed).
 */
export const logInclusionQuerySchema = z
  .strictObject({ index: leafIndex, treeSize: treeSize.min(1) })
  .refine((q) => q.index < q.treeSize, {
    message: "must be below treeSize",
    path: ["index"],
    when: whenValid("index", "treeSize"),
  });

/** Entries in the auditor's scope carry `entry`; others only their `leafHash`. */
export const logEntriesSchema = z.object({
  entries: z.array(
    z.object({ index: z.number().int(), entry: z.string().optional(), leafHash: hashSchema.optional() }),
  ),
});
export type LogEntries = z.output<typeof logEntriesSchema>;

/** The key that signs checkpoints (C2SP signed-note, Ed25519). Pin `verifierKey`. */
export const logKeySchema = z.object({
  origin: z.string(),
  algorithm: z.literal("Ed25519"),
  keyName: z.string(),
  /** 8 hex digits: SHA-256(name || "\n" || 0x01 || publicKey)[:4]. */
  keyId: z.string(),
  publicKey: z.string(),
  /** `name+keyid+base64(0x01 || publicKey)`, as `vergewis log verify --key` takes it. */
  verifierKey: z.string(),
});
export type LogKey = z.output<typeof logKeySchema>;

export const checkpointSchema = z.object({
  origin: z.string(),
  treeSize: z.number().int(),
  rootHash: hashSchema,
  keyId: z.string(),
  /** The signed note, as served at /v1/log/checkpoint. */
  note: z.string(),
  createdAt: instantSchema,
});
export type CheckpointResource = z.output<typeof checkpointSchema>;

export const auditMetricsQuerySchema = z.strictObject({
  platform: z.uuid().optional(),
  /** Default: 30 days before `to`. */
  from: instantSchema.optional(),
  /** Default: now. */
  to: instantSchema.optional(),
});

/** Nearest-rank percentiles in seconds: each is the latency of an actual takedown. */
export const latencySchema = z.object({
  count: z.number().int(),
  p50: z.number().nullable(),
  p90: z.number().nullable(),
  p95: z.number().nullable(),
  p99: z.number().nullable(),
  max: z.number().nullable(),
});

const counts = {
  publications: z.number().int(),
  consents: z.number().int(),
  declines: z.number().int(),
  revocations: z.number().int(),
  reports: z.number().int(),
  takedownsRequested: z.number().int(),
  takedownsCompleted: z.number().int(),
};

export const auditMetricsSchema = z.object({
  platformId: z.string().nullable(),
  from: z.string(),
  to: z.string(),
  /** The figures count log entries with index below this size. */
  treeSize: z.number().int(),
  totals: z.object(counts),
  /** Takedowns requested in the period: time from request to removal, and the SLA outcome. */
  takedowns: z.object({
    latencySeconds: latencySchema,
    sla: z.object({
      met: z.number().int(),
      breached: z.number().int(),
      /** Not removed yet and not yet due. */
      pending: z.number().int(),
      /** met / (met + breached); null when nothing was decided. */
      compliance: z.number().nullable(),
    }),
  }),
  /** Per UTC day; takedown figures by the day the takedown was requested. */
  daily: z.array(
    z.object({
      date: z.string(),
      ...counts,
      slaMet: z.number().int(),
      slaBreached: z.number().int(),
      latencyP50Seconds: z.number().nullable(),
      latencyP95Seconds: z.number().nullable(),
    }),
  ),
});
export type AuditMetrics = z.output<typeof auditMetricsSchema>;

export const monthlyReportQuerySchema = z.strictObject({
  platform: z.uuid(),
  month: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, "must be a month as YYYY-MM"),
  format: z.enum(["html", "csv", "json"]).optional(),
  /** Language of the HTML report; default from Accept-Language. */
  lang: z.enum(["en", "nl"]).optional(),
});

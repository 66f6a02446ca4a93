import { z } from "zod";
import { instantSchema } from "./scope.ts";
import { text } from "./text.ts";
import { TAKEDOWN_REASONS } from "./webhook-event.ts";

/**
 * `open`: remove the content and acknowledge before `dueAt`; `overdue`: the deadline passed without
 * an acknowledgement (repeated `takedown.overdue` notices, visible to auditors); `acknowledged`:
 * the platform confirmed removal.
 */
export const TAKEDOWN_STATUSES = ["open", "overdue", "acknowledged"] as const;
export type TakedownStatus = (typeof TAKEDOWN_STATUSES)[number];

export const takedownSchema = z.object({
  id: z.uuid(),
  publicationId: z.uuid(),
  externalId: z.string(),
  reason: z.enum(TAKEDOWN_REASONS),
  consentId: z.uuid().nullable(),
  reportId: z.uuid().nullable(),
  status: z.enum(TAKEDOWN_STATUSES),
  requestedAt: instantSchema,
  dueAt: instantSchema,
  /** How many overdue notices were sent; escalation started at `escalatedAt`. */
  overdueNotices: z.number().int(),
  escalatedAt: instantSchema.nullable(),
  acknowledgedAt: instantSchema.nullable(),
  removedAt: instantSchema.nullable(),
  note: z.string().nullable(),
});
export type Takedown = z.output<typeof takedownSchema>;

/** `status` takes one status or several, comma-separated: `?status=open,overdue`. */
export const takedownListQuerySchema = z.strictObject({
  status: z
    .string()
    .transform((v) => v.split(","))
    .pipe(z.array(z.enum(TAKEDOWN_STATUSES)).min(1))
    .optional(),
  publicationId: z.uuid().optional(),
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(100).optional(),
});
/** What a client sends: one status or several (`["open", "overdue"]`), `limit` as a number. */
export type TakedownListQuery = Omit<z.output<typeof takedownListQuerySchema>, "status"> & {
  status?: TakedownStatus | readonly TakedownStatus[];
};

export const takedownListSchema = z.object({
  items: z.array(takedownSchema),
  nextCursor: z.string().nullable(),
});
export type TakedownList = z.output<typeof takedownListSchema>;

export const takedownAckRequestSchema = z.strictObject({
  /**
   * When the content stopped being available: not before the takedown was requested, not in the
   * future (the server checks both against its own clock and answers 422).
   */
  removedAt: instantSchema,
  /** For the platform's and the auditors' records, e.g. what was removed where. */
  note: text(1, 2000).optional(),
});
export type TakedownAckRequest = z.input<typeof takedownAckRequestSchema>;

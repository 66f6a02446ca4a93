import { z } from "zod";
import { fingerprintSchema } from "./fingerprint.ts";
import { PUBLICATION_STATUSES } from "./publication.ts";
import { instantSchema } from "./scope.ts";

/**
 * The events Vergewis sends to a platform, by webhook (Standard Webhooks) and in `GET /v1/events`.
 * Each event type has a versioned `data` schema. A change that could break a receiver (a field
 * removed, renamed or retyped) gets a new version; new optional fields do not. Receivers should
 * ignore fields they do not know, which these (non-strict) schemas do.
 */

const ids = {
  publicationId: z.uuid(),
  /** The platform's own id for the content. */
  externalId: z.string(),
};

export const TAKEDOWN_REASONS = ["revocation", "report"] as const;
export type TakedownReason = (typeof TAKEDOWN_REASONS)[number];

/**
 * Why a report was made (DSA art. 16(2)(a)). `no_consent`: a depicted person never agreed;
 * `consent_withdrawn`: they agreed once and withdrew; `underage`: a depicted person is a minor;
 * `synthetic`: a fake (deepfake) of a real person; `other`: anything else.
 */
export const REPORT_CATEGORIES = ["no_consent", "consent_withdrawn", "underage", "synthetic", "other"] as const;
export type ReportCategory = (typeof REPORT_CATEGORIES)[number];

/**
 * Who reported: `anonymous` (anyone, no account), `trusted_flagger` (DSA art. 22, with a token) or
 * `depicted_person` (a performer signed in to the portal whose age was verified).
 */
export const REPORTER_KINDS = ["anonymous", "trusted_flagger", "depicted_person"] as const;
export type ReporterKind = (typeof REPORTER_KINDS)[number];

/**
 * What an open report does to the content: `under_review` (an anonymous report: the platform
 * reviews it before its deadline, `POST /v1/check` still allows the content) or `blocked` (a
 * trusted flagger or a depicted person: the check refuses the content until the report is
 * resolved). An upheld report blocks the content for good, whoever made it.
 */
export const REPORT_EFFECTS = ["under_review", "blocked"] as const;
export type ReportEffect = (typeof REPORT_EFFECTS)[number];

/** The fingerprint algorithms a report can match by: exactly, or as near duplicates (PDQ, vPDQ). */
export const MATCH_ALGORITHMS = ["sha-256", "pdq", "vpdq"] as const;

/**
 * Every depicted person consented: the platform may publish (within the scope). Carries each
 * consent's receipt (a JWS), which the SDK verifies offline.
 */
const publicationClearedDataSchema = z.object({
  ...ids,
  clearedAt: instantSchema,
  consents: z.array(z.object({ consentId: z.uuid(), slotId: z.uuid(), receipt: z.string().nullable() })),
});

/** A depicted person declined: the publication will never be cleared. */
const publicationDeclinedDataSchema = z.object({ ...ids, slotId: z.uuid(), declinedAt: instantSchema });

/**
 * A performer withdrew their consent. For published content a `takedown.requested` follows
 * (`takedownId`); content not yet cleared is `declined` instead (`takedownId` null).
 */
const consentRevokedDataSchema = z.object({
  ...ids,
  consentId: z.uuid(),
  slotId: z.uuid(),
  revokedAt: instantSchema,
  /** The publication's status after the revocation. */
  publicationStatus: z.enum(PUBLICATION_STATUSES),
  takedownId: z.uuid().nullable(),
});

/** Remove the publication and acknowledge with `POST /v1/takedowns/{takedownId}/ack` before `dueAt`. */
const takedownRequestedDataSchema = z.object({
  ...ids,
  takedownId: z.uuid(),
  reason: z.enum(TAKEDOWN_REASONS),
  consentId: z.uuid().optional(),
  reportId: z.uuid().optional(),
  requestedAt: instantSchema,
  dueAt: instantSchema,
});

/**
 * What both overdue notices (`takedown.overdue`, `report.overdue`) say besides the case's id: one
 * shape, from one SLA clock.
 */
const overdueNotice = {
  dueAt: instantSchema,
  /** 1 for the first notice after the deadline, then 2, 3, … */
  notice: z.number().int().min(1),
};

/**
 * A takedown was not acknowledged by its deadline. Repeated (with a growing `notice`) until it is;
 * overdue takedowns are visible to auditors.
 */
const takedownOverdueDataSchema = z.object({ ...ids, takedownId: z.uuid(), ...overdueNotice });

/**
 * Someone reported a publication (DSA art. 16 notice). Read it (`GET /v1/reports/{reportId}`, with
 * the reporter's explanation, which webhooks do not carry) and resolve it with
 * `POST /v1/reports/{reportId}/resolve` before `dueAt`. `effect` says what the report does until
 * then: `under_review` (anonymous: the content stays allowed) or `blocked` (a trusted flagger or
 * a depicted person: `POST /v1/check` refuses the content). Reports from trusted flaggers (DSA
 * art. 22) have a shorter deadline: handle them first. A report by fingerprint names the
 * algorithm that matched and the Hamming distance (0: the same hash; more: a near duplicate).
 */
const reportReceivedDataSchema = z.object({
  ...ids,
  reportId: z.uuid(),
  category: z.enum(REPORT_CATEGORIES),
  /** How the report was matched to the publication. */
  matchedBy: z.enum(["fingerprint", "url"]),
  algorithm: z.enum(MATCH_ALGORITHMS).optional(),
  distance: z.number().int().min(0).optional(),
  fingerprint: fingerprintSchema.optional(),
  url: z.string().optional(),
  trustedFlagger: z.object({ id: z.uuid(), name: z.string() }).nullable(),
  reporter: z.enum(REPORTER_KINDS).optional(),
  effect: z.enum(REPORT_EFFECTS).optional(),
  receivedAt: instantSchema,
  dueAt: instantSchema,
});

/** A report was not resolved by its deadline; repeated like `takedown.overdue`, in its shape. */
const reportOverdueDataSchema = z.object({ ...ids, reportId: z.uuid(), ...overdueNotice });

/** Each event type, its current version and the schema of its `data`. */
export const webhookEvents = {
  "publication.cleared": { version: 1, data: publicationClearedDataSchema },
  "publication.declined": { version: 1, data: publicationDeclinedDataSchema },
  "consent.revoked": { version: 1, data: consentRevokedDataSchema },
  "takedown.requested": { version: 1, data: takedownRequestedDataSchema },
  "takedown.overdue": { version: 1, data: takedownOverdueDataSchema },
  "report.received": { version: 1, data: reportReceivedDataSchema },
  "report.overdue": { version: 1, data: reportOverdueDataSchema },
} as const;

export type WebhookEventType = keyof typeof webhookEvents;
export const WEBHOOK_EVENT_TYPES = Object.keys(webhookEvents) as [WebhookEventType, ...WebhookEventType[]];

/** The `data` of each event type, as received. */
export type WebhookEventData = { [T in WebhookEventType]: z.output<(typeof webhookEvents)[T]["data"]> };
/** The `data` of each event type, as the server writes it (instants may carry any offset). */
export type WebhookEventDataInput = { [T in WebhookEventType]: z.input<(typeof webhookEvents)[T]["data"]> };

const envelope = <T extends WebhookEventType, V extends number, D extends z.ZodType>(
  type: T,
  event: { version: V; data: D },
) =>
  z.object({
    /** Also the `webhook-id` header: the same on every redelivery, so receivers can de-duplicate. */
    id: z.uuid(),
    type: z.literal(type),
    version: z.literal(event.version),
    /** When the event happened. */
    timestamp: instantSchema,
    data: event.data,
  });

/**
 * The body of every webhook and every item of `GET /v1/events` (Standard Webhooks payload
 * structure: `type`, `timestamp`, `data`; plus `id` and `version`). Discriminated by `type`.
 */
export const webhookEventSchema = z.discriminatedUnion("type", [
  envelope("publication.cleared", webhookEvents["publication.cleared"]),
  envelope("publication.declined", webhookEvents["publication.declined"]),
  envelope("consent.revoked", webhookEvents["consent.revoked"]),
  envelope("takedown.requested", webhookEvents["takedown.requested"]),
  envelope("takedown.overdue", webhookEvents["takedown.overdue"]),
  envelope("report.received", webhookEvents["report.received"]),
  envelope("report.overdue", webhookEvents["report.overdue"]),
]);
export type WebhookEvent = z.output<typeof webhookEventSchema>;

export const eventListQuerySchema = z.strictObject({
  type: z.enum(WEBHOOK_EVENT_TYPES).optional(),
  /** The `nextCursor` of the previous page: events after it, oldest first. */
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(100).optional(),
});
export type EventListQuery = z.input<typeof eventListQuerySchema>;

export const eventListSchema = z.object({
  items: z.array(webhookEventSchema),
  /**
   * Where to continue: pass it as `cursor` to get later events. It is returned even when the page
   * is empty, so a poller keeps it and asks again later; null only when there are no events yet.
   */
  nextCursor: z.string().nullable(),
});
export type EventList = z.output<typeof eventListSchema>;

import { z } from "zod";
import { contentFingerprintSchema, fingerprintSchema, type ContentFingerprintInput } from "./fingerprint.ts";
import { instantSchema, scopeRequestSchema, scopeSchema } from "./scope.ts";
import { text } from "./text.ts";
import { whenEachValid, whenValid } from "./when-valid.ts";

export const PUBLICATION_STATUSES = [
  "pending",
  "cleared",
  "takedown_required",
  "taken_down",
  "declined",
  "expired",
] as const;
export type PublicationStatus = (typeof PUBLICATION_STATUSES)[number];

export const SLOT_STATUSES = ["open", "consented", "declined", "expired"] as const;
export type SlotStatus = (typeof SLOT_STATUSES)[number];

/** `uploader`: the depicted person who uploads; `co-performer`: every other depicted person. */
export const SLOT_ROLES = ["uploader", "co-performer"] as const;
export type SlotRole = (typeof SLOT_ROLES)[number];

/** The latest calendar date anywhere on Earth (UTC+14): a date after it is in the future everywhere. */
const latestDateOnEarth = (now = Date.now()) => new Date(now + 14 * 3_600_000).toISOString().slice(0, 10);

/**
 * The day the content was made (ISO 8601 calendar date): every depicted person must have been 18
 * or older on it, and each one's age is checked against it. Not in the future.
 */
export const producedAtSchema = z.iso.date().refine((d) => d <= latestDateOnEarth(), "must not be in the future");

/** The languages of the invitation mail. */
export const MAIL_LANGUAGES = ["nl", "en"] as const;
export type MailLanguage = (typeof MAIL_LANGUAGES)[number];

export const slotRequestSchema = z
  .strictObject({
    role: z.enum(SLOT_ROLES),
    /**
     * The person's e-mail address: Vergewis mails the invitation there itself. Required for a
     * co-performer (whose invitation the platform never sees); shown to nobody else.
     */
    contact: z.email({ error: "must be an e-mail address" }).max(320).optional(),
    /** The language of the invitation mail; default: the request's Accept-Language, else the server's. */
    language: z.enum(MAIL_LANGUAGES).optional(),
  })
  .refine((slot) => slot.role !== "co-performer" || slot.contact !== undefined, {
    message: "a co-performer needs a contact: the e-mail address Vergewis sends the invitation to",
    path: ["contact"],
    when: whenValid("role", "contact"),
  });

/** Content items (files, each named by its sha-256 fingerprint) one request may ask consent for. */
export const MAX_CONTENT_ITEMS = 10;

/**
 * Where the performers' browsers fetch one content item to view it and check it against its
 * sha-256 fingerprint before they may sign: a short-lived URL of the platform, answering with
 * CORS for the Vergewis portal. Vergewis stores the URL, never the content. https; a server
 * outside production also accepts http on a loopback host.
 */
export const reviewItemSchema = z.strictObject({
  sha256: fingerprintSchema.shape.value,
  url: z.url({ protocol: /^https?$/, error: "must be an https URL" }).max(2048),
});
export type ReviewItem = z.input<typeof reviewItemSchema>;

const sha256Values = (fps: ReadonlyArray<{ alg: string; value: string }>) =>
  fps.filter((f) => f.alg === "sha-256").map((f) => f.value.toLowerCase());

export const publicationRequestSchema = z
  .strictObject({
    /** The platform's own id for the content; unique per platform. */
    externalId: z
      .string()
      .min(1)
      .max(200)
      .regex(/^[\x21-\x7e]+$/, "must be visible ASCII characters without spaces"),
    /** The platform's own words for the content: the portal shows them as such. */
    title: text(1, 300),
    /** An image the performers see before they sign, labelled as the platform's; https only. */
    previewUrl: z
      .url({ protocol: /^https$/, error: "must be an https URL" })
      .max(2048)
      .optional(),
    /** One fingerprint a file: `vpdq` and `pdq` with quality are matched against withdrawn content. */
    contentFingerprints: z
      .array(contentFingerprintSchema)
      .min(1)
      // Each item's sha-256 and, for an image, its PDQ.
      .max(2 * MAX_CONTENT_ITEMS)
      .refine((fps) => fps.some((f) => f.alg === "sha-256"), {
        message: "must include at least one sha-256 fingerprint",
        when: whenEachValid("alg"),
      })
      .refine((fps) => sha256Values(fps).length <= MAX_CONTENT_ITEMS, {
        message: `must name at most ${MAX_CONTENT_ITEMS} content items (sha-256 fingerprints)`,
        // It reads each value (sha256Values): not when one is missing or invalid.
        when: whenEachValid("alg", "value"),
      })
      .refine((fps) => new Set(fps.map((f) => `${f.alg}:${f.value}`)).size === fps.length, {
        message: "must not repeat",
        when: whenEachValid("alg", "value"),
      }),
    slots: z
      .array(slotRequestSchema)
      .min(1)
      .max(20)
      .refine((slots) => slots.filter((s) => s.role === "uploader").length <= 1, {
        message: "at most one uploader",
        when: whenEachValid("role"),
      }),
    /** One per sha-256 fingerprint: how the performers see and verify that item before signing. */
    reviewItems: z.array(reviewItemSchema).min(1).max(MAX_CONTENT_ITEMS),
    scope: scopeRequestSchema,
    producedAt: producedAtSchema,
  })
  .superRefine(
    (request, context) => {
      const items = new Set(request.reviewItems.map((i) => i.sha256));
      const fingerprints = new Set(sha256Values(request.contentFingerprints));
      for (const value of fingerprints) {
        if (!items.has(value)) {
          context.addIssue({
            code: "custom",
            path: ["reviewItems"],
            message: `must give a review URL for the sha-256 fingerprint ${value}`,
          });
        }
      }
      request.reviewItems.forEach((item, index) => {
        if (!fingerprints.has(item.sha256)) {
          context.addIssue({
            code: "custom",
            path: ["reviewItems", index, "sha256"],
            message: "must be a sha-256 fingerprint of contentFingerprints",
          });
        } else if (request.reviewItems.findIndex((i) => i.sha256 === item.sha256) !== index) {
          context.addIssue({ code: "custom", path: ["reviewItems", index, "sha256"], message: "must not repeat" });
        }
      });
    },
    { when: whenValid("contentFingerprints", "reviewItems") },
  );
export type PublicationRequest = Omit<z.input<typeof publicationRequestSchema>, "contentFingerprints"> & {
  contentFingerprints: ContentFingerprintInput[];
};

export const slotSchema = z.object({
  id: z.uuid(),
  position: z.number().int(),
  role: z.enum(SLOT_ROLES),
  status: z.enum(SLOT_STATUSES),
  expiresAt: instantSchema,
});
export type Slot = z.output<typeof slotSchema>;

export const publicationSchema = z.object({
  id: z.uuid(),
  externalId: z.string(),
  title: z.string(),
  previewUrl: z.string().nullable(),
  status: z.enum(PUBLICATION_STATUSES),
  contentFingerprints: z.array(fingerprintSchema),
  scope: scopeSchema,
  /** The day the content was made; null on requests made before it was asked for. */
  producedAt: z.iso.date().nullable(),
  slots: z.array(slotSchema),
  createdAt: instantSchema,
  updatedAt: instantSchema,
});
export type Publication = z.output<typeof publicationSchema>;

/**
 * The uploader's invitation, for the platform to hand to its logged-in uploader: returned when the
 * publication is created (not on an idempotent replay) and when it is reissued. A co-performer's
 * invitation goes by mail to the slot's contact and is never returned.
 */
export const invitationSchema = z.object({
  slotId: z.uuid(),
  position: z.number().int(),
  /** Link to the performer portal, with the invitation secret in it. */
  url: z.url(),
  /** The same invitation as a short code to type in the portal. */
  code: z.string(),
  expiresAt: instantSchema,
});
export type Invitation = z.output<typeof invitationSchema>;

export const createdPublicationSchema = publicationSchema.extend({
  /** At most one: the uploader slot's. Empty on an idempotent replay (the code is not kept). */
  invitations: z.array(invitationSchema),
});
export type CreatedPublication = z.output<typeof createdPublicationSchema>;

/** `POST /v1/publications/{id}/slots/{slotId}/invitation`: the old code is dead. */
export const reissuedInvitationSchema = z.object({
  slot: slotSchema,
  /** A co-performer's slot: the new invitation went by mail to its contact. */
  mailed: z.boolean(),
  /** The uploader slot's new invitation; null for a co-performer, whose code only the mail carries. */
  invitation: invitationSchema.nullable(),
});
export type ReissuedInvitation = z.output<typeof reissuedInvitationSchema>;

export const publicationListQuerySchema = z.strictObject({
  externalId: z.string().min(1).max(200).optional(),
  status: z.enum(PUBLICATION_STATUSES).optional(),
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(100).optional(),
});
// The output type: a client sends `limit` as a number; the query string coerces it on the server.
export type PublicationListQuery = z.output<typeof publicationListQuerySchema>;

export const publicationListSchema = z.object({
  items: z.array(publicationSchema),
  /** Pass as `cursor` to get the next page; null on the last page. */
  nextCursor: z.string().nullable(),
});
export type PublicationList = z.output<typeof publicationListSchema>;

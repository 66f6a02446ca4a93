import { z } from "zod";
import { fingerprintSchema } from "./fingerprint.ts";
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

export const publicationRequestSchema = z.strictObject({
  /** The platform's own id for the content; unique per platform. */
  externalId: z
    .string()
    .min(1)
    .max(200)
    .regex(/^[\x21-\x7e]+$/, "must be visible ASCII characters without spaces"),
  title: text(1, 300),
  /** An image the performers see before they sign; https only. */
  previewUrl: z
    .url({ protocol: /^https$/, error: "must be an https URL" })
    .max(2048)
    .optional(),
  contentFingerprints: z
    .array(fingerprintSchema)
    .min(1)
    .max(50)
    .refine((fps) => fps.some((f) => f.alg === "sha-256"), {
      message: "must include at least one sha-256 fingerprint",
      when: whenEachValid("alg"),
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
  scope: scopeRequestSchema,
});
export type PublicationRequest = z.input<typeof publicationRequestSchema>;

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

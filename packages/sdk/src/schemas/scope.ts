import { z } from "zod";
import { COUNTRY_CODES } from "./countries.ts";

/**
 * What a performer consents to. `publish`: show it on the platform; `promote`: use it in the
 * platform's advertising and previews; `syndicate`: pass it on to the platform's partner sites.
 */
export const PURPOSES = ["publish", "promote", "syndicate"] as const;
export type Purpose = (typeof PURPOSES)[number];

const MAX_YEARS = 10;

const sortedUnique = <T extends string>(items: T[]) => [...new Set(items)].sort();

/** An instant, normalised to UTC with millisecond precision so that documents hash the same. */
export const instantSchema = z.iso.datetime({ offset: true }).transform((v) => new Date(v).toISOString());

/** The scope as stored and signed: sorted, de-duplicated lists and a UTC end date. */
export const scopeSchema = z.strictObject({
  purposes: z.array(z.enum(PURPOSES)).min(1).transform(sortedUnique),
  territories: z
    .array(z.string().refine((c) => COUNTRY_CODES.has(c), "must be an ISO 3166-1 alpha-2 country code"))
    .min(1)
    .max(COUNTRY_CODES.size)
    .transform(sortedUnique),
  validUntil: instantSchema,
});
export type Scope = z.output<typeof scopeSchema>;

/** The scope a platform asks for: it must end in the future and at most ten years from now. */
export const scopeRequestSchema = scopeSchema.extend({
  // On the field, not the object: a past date is listed with the other fields' issues.
  validUntil: instantSchema.superRefine((validUntil, ctx) => {
    const end = Date.parse(validUntil);
    const now = Date.now();
    const limit = new Date(now);
    limit.setUTCFullYear(limit.getUTCFullYear() + MAX_YEARS);
    if (end <= now) ctx.addIssue({ code: "custom", message: "must be in the future" });
    else if (end > limit.getTime())
      ctx.addIssue({ code: "custom", message: `must be at most ${MAX_YEARS} years ahead` });
  }),
});

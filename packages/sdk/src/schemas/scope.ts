import { z } from "zod";
import { COUNTRY_CODES } from "./countries.ts";

/**
 * What a performer consents to. `publish`: show it on the platform; `promote`: use it in the
 * platform's advertising and previews; `syndicate`: pass it on to the platform's partner sites;
 * `download`: let viewers download a copy (a purpose of its own: a copy outlives a takedown, and
 * Mastercard AN 5196 asks for consent to it where downloads are offered).
 */
export const PURPOSES = ["publish", "promote", "syndicate", "download"] as const;
export type Purpose = (typeof PURPOSES)[number];

const MAX_YEARS = 10;

const sortedUnique = <T extends string>(items: T[]) => [...new Set(items)].sort();

/** An instant, normalised to UTC with millisecond precision so that documents hash the same. */
export const instantSchema = z.iso.datetime({ offset: true }).transform((v) => new Date(v).toISOString());

/** An ISO 3166-1 alpha-2 country code (upper case), as territories are signed. */
export const territorySchema = z
  .string()
  .refine((c) => COUNTRY_CODES.has(c), "must be an ISO 3166-1 alpha-2 country code");

/**
 * Where and for what content is used now, as a check or gate asks about it: the viewer's country
 * and the purpose. A signed scope covers it when it names both.
 */
export const usageSchema = z.strictObject({ purpose: z.enum(PURPOSES), territory: territorySchema });
export type Usage = z.output<typeof usageSchema>;

/** Why a signed scope does not cover a use, or undefined when it does. */
export function scopeRefusal(
  scope: { purposes: readonly string[]; territories: readonly string[] },
  usage: Partial<Usage>,
): "purpose_not_consented" | "territory_not_consented" | undefined {
  if (usage.purpose !== undefined && !scope.purposes.includes(usage.purpose)) return "purpose_not_consented";
  if (usage.territory !== undefined && !scope.territories.includes(usage.territory)) return "territory_not_consented";
  return undefined;
}

/** The scope as stored and signed: sorted, de-duplicated lists and a UTC end date. */
export const scopeSchema = z.strictObject({
  purposes: z.array(z.enum(PURPOSES)).min(1).transform(sortedUnique),
  territories: z.array(territorySchema).min(1).max(COUNTRY_CODES.size).transform(sortedUnique),
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

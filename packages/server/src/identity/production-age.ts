import { adultOn, shiftYears } from "./age.ts";

/**
 * Age on the day of production (docs/identity.md). What the provider's claims say about the person
 * on `date` (YYYY-MM-DD, not after `today`): `adult`, `minor`, or `unknown` when they cannot tell.
 *
 * - `birthdate` decides exactly (as `adultOn`).
 * - `age_over_NN: true` (NN ≥ 18, as in the ISO 18013-5 mDL and the EU PID) puts the 18th birthday at
 *   least NN − 18 years before today: adult on every date from `today` minus that. So
 *   `age_over_18` alone proves adulthood on the day of verification only, and `age_over_21` three
 *   years back.
 * - `age_over_NN: false` puts the 18th birthday less than NN − 18 years before today: a minor on
 *   every date up to `today` minus that.
 * Evidence that disagrees with itself is `unknown`.
 */
export function ageOnDate(claims: Record<string, unknown>, today: string, date: string): "adult" | "minor" | "unknown" {
  const found = new Set<"adult" | "minor">();
  if (typeof claims.birthdate === "string") {
    const adult = adultOn(claims.birthdate, date);
    if (adult !== undefined) found.add(adult ? "adult" : "minor");
  }
  for (const [name, value] of Object.entries(claims)) {
    const match = /^age_over_(\d{2,3})$/.exec(name);
    if (!match || typeof value !== "boolean") continue;
    const years = Number(match[1]) - 18;
    if (years < 0) continue;
    if (value && date >= shiftYears(today, -years, "later")) found.add("adult");
    if (!value && date <= shiftYears(today, -years, "earlier")) found.add("minor");
  }
  return found.size === 1 ? [...found][0]! : "unknown";
}

/** What a verification keeps of its age check: dates and outcomes, never the claims. */
export interface AgeOutcome {
  /** The earliest date it found the person an adult on (so on every later one too). */
  adultOn: string;
  /** The production date it found the person under 18 on, when it was asked about one. */
  minorOn: string | null;
  /** The production date asked about and what the claims said about it, for the audit log. */
  production?: { date: string; outcome: "adult" | "minor" | "unknown" };
}

/**
 * The outcome of a verification of someone who is an adult today, asked about `productionDate`
 * (the request the verification was started for) if any.
 */
export function ageOutcome(claims: Record<string, unknown>, today: string, productionDate?: string): AgeOutcome {
  if (productionDate === undefined || productionDate >= today) return { adultOn: today, minorOn: null };
  const outcome = ageOnDate(claims, today, productionDate);
  return {
    adultOn: outcome === "adult" ? productionDate : today,
    minorOn: outcome === "minor" ? productionDate : null,
    production: { date: productionDate, outcome },
  };
}

/**
 * Whether an attestation shows the person 18 or older on `producedAt`: `adult` when it found them
 * an adult on that date or earlier, `minor` when it found them under 18 on that date or later,
 * otherwise `unverified` (verify again, for this date). No date (older requests): `adult`, as the
 * attestation itself shows.
 */
export function ageAtProduction(
  attestation: { adultOn: string; minorOn: string | null },
  producedAt: string | null,
): "adult" | "minor" | "unverified" {
  if (producedAt === null) return "adult";
  if (attestation.minorOn !== null && producedAt <= attestation.minorOn) return "minor";
  return producedAt >= attestation.adultOn ? "adult" : "unverified";
}

/**
 * The age decision (docs/identity.md). A person is accepted when the provider asserts `age_over_18:
 * true`, or gives a `birthdate` (OIDC Core §5.1) on which they are 18 or older on the day of
 * verification in the Europe/Amsterdam time zone, where the law applies. Anything else is refused:
 * no age evidence, an unusable birthdate, or evidence that contradicts itself.
 */
export type AgeDecision =
  | { over18: true; basis: "age_over_18" | "birthdate" }
  | { over18: false; reason: "under_18" | "age_unknown" | "conflicting_claims" };

export const LEGAL_TIME_ZONE = "Europe/Amsterdam";
const ADULT_AGE = 18;

/** The calendar date (YYYY-MM-DD) in Amsterdam at `now`. */
export function amsterdamDate(now: Date = new Date()): string {
  // en-CA formats as YYYY-MM-DD.
  return new Intl.DateTimeFormat("en-CA", {
    timeZone: LEGAL_TIME_ZONE,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
  }).format(now);
}

export function decideAge(claims: { age_over_18?: unknown; birthdate?: unknown }, today: string): AgeDecision {
  const byClaim = claims.age_over_18 === true ? true : claims.age_over_18 === false ? false : undefined;
  const byBirthdate = typeof claims.birthdate === "string" ? adultOn(claims.birthdate, today) : undefined;
  if (byClaim !== undefined && byBirthdate !== undefined && byClaim !== byBirthdate) {
    return { over18: false, reason: "conflicting_claims" };
  }
  if (byClaim === true) return { over18: true, basis: "age_over_18" };
  if (byBirthdate === true) return { over18: true, basis: "birthdate" };
  if (byClaim === false || byBirthdate === false) return { over18: false, reason: "under_18" };
  return { over18: false, reason: "age_unknown" };
}

/**
 * Whether someone born on `birthdate` is an adult on `today`; undefined when the date cannot tell.
 * OIDC allows `YYYY-MM-DD`, a year of `0000` for "year withheld", and `YYYY` alone. Someone born on
 * 29 February comes of age on 1 March in a common year: the later date, so never too early.
 */
export function adultOn(birthdate: string, today: string): boolean | undefined {
  const [ty, tm, td] = today.split("-").map(Number) as [number, number, number];
  const full = /^(\d{4})-(\d{2})-(\d{2})$/.exec(birthdate);
  if (full) {
    const [y, m, d] = [Number(full[1]), Number(full[2]), Number(full[3])];
    if (y === 0 || !isCalendarDate(y, m, d) || compare([y, m, d], [ty, tm, td]) > 0) return undefined;
    return compare([y + ADULT_AGE, m, d], [ty, tm, td]) <= 0;
  }
  const yearOnly = /^(\d{4})$/.exec(birthdate);
  if (yearOnly) {
    const y = Number(yearOnly[1]);
    if (y === 0 || y > ty) return undefined;
    // Born some day in year y: certainly adult from 1 January of y + 19, certainly minor before y + 18.
    if (y + ADULT_AGE < ty) return true;
    if (y + ADULT_AGE > ty) return false;
    return undefined;
  }
  return undefined;
}

/**
 * The same calendar day `years` later (negative: earlier). 29 February has no such day in a common
 * year: `earlier` takes 28 February, `later` 1 March, so that a caller can round the safe way.
 */
export function shiftYears(date: string, years: number, leapDay: "earlier" | "later"): string {
  const [y, m, d] = date.split("-");
  const year = String(Number(y) + years).padStart(4, "0");
  if (m === "02" && d === "29" && !isLeap(Number(year)))
    return leapDay === "earlier" ? `${year}-02-28` : `${year}-03-01`;
  return `${year}-${m}-${d}`;
}

const isLeap = (y: number) => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;

const compare = (a: number[], b: number[]) => a[0]! - b[0]! || a[1]! - b[1]! || a[2]! - b[2]!;

function isCalendarDate(y: number, m: number, d: number): boolean {
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

import type { Locale } from "../../web/i18n.ts";

// Dates, durations and country names in the reader's language, with Intl. Times are shown in the
// Netherlands' time zone, with its abbreviation, so that "until 31 December" means what it says.

const TIME_ZONE = "Europe/Amsterdam";
const TAGS: Record<Locale, string> = { en: "en-GB", nl: "nl-NL" };

const cache = new Map<string, Intl.DateTimeFormat>();
function dateFormat(locale: Locale, withTime: boolean): Intl.DateTimeFormat {
  const key = `${locale}:${withTime}`;
  let format = cache.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(TAGS[locale], {
      day: "numeric",
      month: "long",
      year: "numeric",
      timeZone: TIME_ZONE,
      ...(withTime && { hour: "2-digit", minute: "2-digit", timeZoneName: "short" }),
    });
    cache.set(key, format);
  }
  return format;
}

/** "31 December 2027" / "31 december 2027". */
export const formatDate = (locale: Locale, iso: string) => dateFormat(locale, false).format(new Date(iso));

/** "25 November 2026 at 16:04 CET" / "25 november 2026 om 16:04 CET". */
export const formatDateTime = (locale: Locale, iso: string) => dateFormat(locale, true).format(new Date(iso));

const UNITS: Array<[Intl.RelativeTimeFormatUnit, number]> = [
  ["year", 365 * 86_400],
  ["month", 30 * 86_400],
  ["week", 7 * 86_400],
  ["day", 86_400],
  ["hour", 3_600],
  ["minute", 60],
];

/** "3 minutes ago" / "3 minuten geleden"; `justNow` under a minute. */
export function timeAgo(locale: Locale, iso: string, now: Date, justNow: string): string {
  const seconds = Math.round((Date.parse(iso) - now.getTime()) / 1000);
  const format = new Intl.RelativeTimeFormat(TAGS[locale], { numeric: "auto" });
  for (const [unit, size] of UNITS) {
    if (Math.abs(seconds) >= size) return format.format(Math.trunc(seconds / size), unit);
  }
  return justNow;
}

/** A platform's takedown deadline in words: "24 hours", "90 minutes", "2 days". */
export function duration(locale: Locale, seconds: number): string {
  const [unit, value] =
    seconds % 86_400 === 0 && seconds >= 2 * 86_400
      ? (["day", seconds / 86_400] as const)
      : seconds % 3_600 === 0
        ? (["hour", seconds / 3_600] as const)
        : (["minute", Math.max(1, Math.round(seconds / 60))] as const);
  return new Intl.NumberFormat(TAGS[locale], { style: "unit", unit, unitDisplay: "long" }).format(value);
}

/**
 * Countries whose English name takes "the" in a sentence ("only in the Netherlands"); Intl gives
 * the bare name, as for a list heading.
 */
const WITH_ARTICLE_EN = new Set("AE BS CF CK DO FK FO GB GM KM KY MH MV NL PH SB SC TC UM US VG VI".split(" "));

/** Country names for ISO 3166-1 alpha-2 codes, as they read in a sentence, sorted by name. */
export function countryNames(locale: Locale, codes: string[]): string[] {
  const names = new Intl.DisplayNames([TAGS[locale]], { type: "region", fallback: "code" });
  return codes
    .map((code) => ({ code, name: names.of(code) ?? code }))
    .sort((a, b) => a.name.localeCompare(b.name, TAGS[locale]))
    .map(({ code, name }) => (locale === "en" && WITH_ARTICLE_EN.has(code) ? `the ${name}` : name));
}

/** "Belgium and the Netherlands" / "België en Nederland". */
export const listOf = (locale: Locale, items: string[]) =>
  new Intl.ListFormat(TAGS[locale], { style: "long", type: "conjunction" }).format(items);

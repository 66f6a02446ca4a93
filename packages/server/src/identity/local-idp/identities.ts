import { EIDAS_LOA } from "../../config/schema.ts";
import { amsterdamDate } from "../age.ts";

/** A test identity of the local provider: the claims a real eID would assert, at one assurance level. */
export interface TestIdentity {
  id: string;
  description: string;
  acr: string;
  claims: {
    name?: string;
    given_name?: string;
    family_name?: string;
    birthdate?: string;
    age_over_18?: boolean;
  };
}

/**
 * The identities cover the edges of the age decision, relative to today in Amsterdam: one who
 * turns 18 tomorrow, one who turns 18 today, an adult, one whose provider gives no birthdate or
 * age claim, an adult at a low level of assurance, and a wallet that proves only `age_over_18`.
 * `adult+anything` (any listed id, `+`, any suffix) is a distinct person with the same profile.
 */
export function testIdentities(now: Date = new Date()): TestIdentity[] {
  const today = amsterdamDate(now);
  const tomorrow = amsterdamDate(new Date(now.getTime() + 86_400_000));
  return [
    {
      id: "adult",
      description: "Adult (born 1990), age_over_18 and birthdate, eIDAS high",
      acr: EIDAS_LOA.high,
      claims: {
        name: "Anna de Vries",
        given_name: "Anna",
        family_name: "de Vries",
        birthdate: "1990-05-01",
        age_over_18: true,
      },
    },
    {
      id: "eighteen-today",
      description: `Turns 18 today (${today} in Amsterdam), birthdate only, eIDAS substantial`,
      acr: EIDAS_LOA.substantial,
      claims: {
        name: "Bram Jansen",
        given_name: "Bram",
        family_name: "Jansen",
        birthdate: yearsBefore(today, 18, "earlier"),
      },
    },
    {
      id: "minor",
      description: "Turns 18 tomorrow, birthdate only, eIDAS substantial",
      acr: EIDAS_LOA.substantial,
      claims: {
        name: "Cas Bakker",
        given_name: "Cas",
        family_name: "Bakker",
        birthdate: yearsBefore(tomorrow, 18, "later"),
      },
    },
    {
      id: "no-birthdate",
      description: "Adult whose provider gives neither birthdate nor age_over_18, eIDAS substantial",
      acr: EIDAS_LOA.substantial,
      claims: { name: "Dewi Visser", given_name: "Dewi", family_name: "Visser" },
    },
    {
      id: "low-assurance",
      description: "Adult (born 1985) verified only at eIDAS low",
      acr: EIDAS_LOA.low,
      claims: { name: "Eva Smit", given_name: "Eva", family_name: "Smit", birthdate: "1985-09-12", age_over_18: true },
    },
    {
      id: "wallet-over18",
      description: "Age proof from a wallet: age_over_18 only, no name or birthdate, eIDAS high",
      acr: EIDAS_LOA.high,
      claims: { age_over_18: true },
    },
  ];
}

/** The identity a login name stands for: a listed id, optionally with a `+suffix`. */
export function findTestIdentity(login: string, now?: Date): (TestIdentity & { subject: string }) | undefined {
  const match = /^([a-z0-9-]+)(\+[A-Za-z0-9._-]{1,64})?$/.exec(login);
  if (!match) return undefined;
  const identity = testIdentities(now).find((i) => i.id === match[1]);
  return identity && { ...identity, subject: login };
}

/**
 * The same calendar day `years` earlier. 29 February has no such day in a common year: `earlier`
 * takes 28 February, `later` 1 March.
 */
function yearsBefore(date: string, years: number, leapDay: "earlier" | "later"): string {
  const [y, m, d] = date.split("-");
  const year = String(Number(y) - years).padStart(4, "0");
  if (m === "02" && d === "29" && !isLeap(Number(year)))
    return leapDay === "earlier" ? `${year}-02-28` : `${year}-03-01`;
  return `${year}-${m}-${d}`;
}

const isLeap = (y: number) => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;

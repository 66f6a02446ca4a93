import { EIDAS_LOA } from "../../config/schema.ts";
import { amsterdamDate, shiftYears } from "../age.ts";

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
    age_over_21?: boolean;
  };
}

/**
 * The identities cover the edges of the age decision, relative to today in Amsterdam: one who
 * turns 18 tomorrow, one who turns 18 today, one who turned 18 thirty days ago (an adult today, a
 * minor for content made before then), an adult, one whose provider gives no birthdate or age
 * claim, an adult at a low level of assurance, a wallet that proves only `age_over_18` (adult
 * today, nothing about earlier days) and one that proves `age_over_21` too (adult three years back).
 * `adult+anything` (any listed id, `+`, any suffix) is a distinct person with the same profile.
 */
/** How long ago `recent-adult` turned 18. */
export const RECENT_DAYS = 30;

export function testIdentities(now: Date = new Date()): TestIdentity[] {
  const today = amsterdamDate(now);
  const tomorrow = amsterdamDate(new Date(now.getTime() + 86_400_000));
  const monthAgo = amsterdamDate(new Date(now.getTime() - RECENT_DAYS * 86_400_000));
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
        birthdate: shiftYears(today, -18, "earlier"),
      },
    },
    {
      id: "recent-adult",
      description: `Turned 18 ${RECENT_DAYS} days ago, birthdate only, eIDAS substantial`,
      acr: EIDAS_LOA.substantial,
      claims: {
        name: "Fenna Mulder",
        given_name: "Fenna",
        family_name: "Mulder",
        birthdate: shiftYears(monthAgo, -18, "earlier"),
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
        birthdate: shiftYears(tomorrow, -18, "later"),
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
    {
      id: "wallet-over21",
      description: "Age proof from a wallet: age_over_18 and age_over_21 only, eIDAS high",
      acr: EIDAS_LOA.high,
      claims: { age_over_18: true, age_over_21: true },
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

import { calendarDate } from "../db/calendar-date.ts";
import type { Db, Tx } from "../db/client.ts";

export interface Attestation {
  id: string;
  issuer: string;
  acr: string;
  over18: boolean;
  verifiedAt: Date;
  /** The earliest date it found the person an adult on (YYYY-MM-DD). */
  adultOn: string;
  /** A production date it found the person under 18 on, if any. */
  minorOn: string | null;
}

const DAY_MS = 86_400_000;

/** The performer's latest age attestation. */
export async function latestAttestation(db: Db | Tx, performerId: string): Promise<Attestation | undefined> {
  const row = await db.ageAttestation.findFirst({
    where: { performerId },
    orderBy: [{ verifiedAt: "desc" }, { id: "desc" }],
    select: { id: true, issuer: true, acr: true, over18: true, verifiedAt: true, adultOn: true, minorOn: true },
  });
  return row
    ? { ...row, adultOn: calendarDate(row.adultOn), minorOn: row.minorOn && calendarDate(row.minorOn) }
    : undefined;
}

/** When an attestation must be renewed (configurable, default 365 days after verification). */
export const attestationExpiry = (attestation: Attestation, maxAgeDays: number) =>
  new Date(attestation.verifiedAt.getTime() + maxAgeDays * DAY_MS);

export const isFresh = (
  attestation: Attestation | undefined,
  maxAgeDays: number,
  now = new Date(),
): attestation is Attestation =>
  attestation !== undefined && attestation.over18 && attestationExpiry(attestation, maxAgeDays) > now;

import type { ReportEffect, ReporterKind } from "@vergewis/sdk";
import type { Db, Tx } from "../db/client.ts";
import { latestAttestation } from "../identity/attestation.ts";
import type { TrustedFlagger } from "./flagger.ts";

/**
 * Who reports, which decides what a report does while it is open: an anonymous report puts the
 * content under review (the platform is told and its deadline runs, the content stays up); a
 * trusted flagger (DSA art. 22) or a depicted person who verified their age in the portal is
 * believed at once, and the content is refused until the platform decides.
 */
export type Reporter =
  | { kind: "anonymous" }
  | { kind: "trusted_flagger"; flagger: TrustedFlagger }
  | { kind: "depicted_person"; performerId: string; pseudonym: string };

export const effectOf = (kind: ReporterKind): ReportEffect => (kind === "anonymous" ? "under_review" : "blocked");

/**
 * A signed-in performer reports as a depicted person when their age was verified (an age
 * attestation exists); anyone else reports anonymously.
 */
export async function portalReporter(db: Db | Tx, performerId: string | null): Promise<Reporter> {
  if (performerId === null || !(await latestAttestation(db, performerId))) return { kind: "anonymous" };
  const { pseudonym } = await db.performer.findUniqueOrThrow({
    where: { id: performerId },
    select: { pseudonym: true },
  });
  return { kind: "depicted_person", performerId, pseudonym };
}

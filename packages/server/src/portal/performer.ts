import type { ServerContext } from "../context.ts";
import { attestationExpiry, isFresh, latestAttestation } from "../identity/attestation.ts";

export interface PerformerSummary {
  pseudonym: string;
  ageVerification: { verifiedAt: string; acr: string; renewBy: string; fresh: boolean } | null;
  passkeys: number;
}

/** What the portal shows about the logged-in performer: never identity data (the server has none). */
export async function performerSummary(ctx: ServerContext, performerId: string): Promise<PerformerSummary> {
  const performer = await ctx.db.performer.findUniqueOrThrow({
    where: { id: performerId },
    select: { pseudonym: true, _count: { select: { passkeys: true } } },
  });
  const attestation = await latestAttestation(ctx.db, performerId);
  const maxAge = ctx.config.identity.attestationMaxAgeDays;
  return {
    pseudonym: performer.pseudonym,
    ageVerification: attestation
      ? {
          verifiedAt: attestation.verifiedAt.toISOString(),
          acr: attestation.acr,
          renewBy: attestationExpiry(attestation, maxAge).toISOString(),
          fresh: isFresh(attestation, maxAge),
        }
      : null,
    passkeys: performer._count.passkeys,
  };
}

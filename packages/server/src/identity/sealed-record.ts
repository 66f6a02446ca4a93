import { auditLog } from "../audit/append.ts";
import type { Db } from "../db/client.ts";
import { runTransaction } from "../db/transaction.ts";
import { NotFoundError } from "../errors.ts";

export interface SealedRecord {
  attestationId: string;
  performer: string;
  issuer: string;
  acr: string;
  verifiedAt: string;
  escrowKid: string;
  /** Compact JWE to the auditors' escrow key. */
  sealedIdentity: string;
}

/**
 * Hands out one sealed identity record for an auditor to open offline with the escrow private key
 * (which the server never has). Every export is in the audit log.
 */
export async function exportSealedIdentity(
  db: Db,
  by: { attestationId: string } | { performer: string },
): Promise<SealedRecord> {
  return runTransaction(db, async (tx, effects) => {
    const row = await tx.ageAttestation.findFirst({
      where: {
        sealedIdentity: { not: null },
        ...("attestationId" in by ? { id: by.attestationId } : { performer: { pseudonym: by.performer } }),
      },
      orderBy: [{ verifiedAt: "desc" }, { id: "desc" }],
      select: {
        id: true,
        issuer: true,
        acr: true,
        verifiedAt: true,
        escrowKid: true,
        sealedIdentity: true,
        performer: { select: { pseudonym: true } },
      },
    });
    if (!row?.sealedIdentity || !row.escrowKid) throw new NotFoundError("sealed identity record");
    effects.write(auditLog, {
      type: "identity.sealed_record_exported",
      performerPseudonym: row.performer.pseudonym,
      data: { attestationId: row.id },
    });
    return {
      attestationId: row.id,
      performer: row.performer.pseudonym,
      issuer: row.issuer,
      acr: row.acr,
      verifiedAt: row.verifiedAt.toISOString(),
      escrowKid: row.escrowKid,
      sealedIdentity: row.sealedIdentity,
    };
  });
}

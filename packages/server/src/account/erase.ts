import { randomBytes } from "node:crypto";
import type { Tx } from "../db/client.ts";

/** How many rows of each kind an erasure touched: counts only, for the audit log. */
export interface Erased {
  attestations: number;
  passkeys: number;
  sessions: number;
  contacts: number;
}

/**
 * Erases a performer's personal data (GDPR art. 17) inside the caller's transaction, keeping what
 * is pseudonymous and needed as proof (docs/portal.md §6):
 * - the performer: the identity link (subject HMAC) goes, the WebAuthn user handle is replaced,
 *   the row stays as the pseudonym the audit log and the consent records name;
 * - age attestations: the sealed identity and the subject HMAC go; issuer, level, outcome and
 *   time stay, as the proof that each recorded consent came from a verified adult;
 * - passkeys and sessions (with their challenges and OIDC requests) are deleted;
 * - the contact details platforms gave for the person's invitations are erased.
 * Consent documents, their signatures and receipts name only the pseudonym and stay.
 */
export async function erasePersonalData(tx: Tx, performerId: string, now: Date): Promise<Erased> {
  await tx.performer.update({
    where: { id: performerId },
    data: { subjectHash: null, webauthnUserId: new Uint8Array(randomBytes(32)), deletedAt: now },
    select: { id: true },
  });
  const attestations = await tx.ageAttestation.updateMany({
    where: { performerId },
    data: { subjectHash: null, sealedIdentity: null, escrowKid: null },
  });
  await tx.webAuthnChallenge.deleteMany({ where: { performerId } });
  const sessions = await tx.portalSession.deleteMany({ where: { performerId } });
  const passkeys = await tx.passkey.deleteMany({ where: { performerId } });
  const contacts = await tx.slot.updateMany({
    where: { performerId, contact: { not: null } },
    data: { contact: null },
  });
  return {
    attestations: attestations.count,
    passkeys: passkeys.count,
    sessions: sessions.count,
    contacts: contacts.count,
  };
}

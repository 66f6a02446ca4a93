import { randomBytes } from "node:crypto";
import { platformPseudonymOf } from "../identity/pairwise.ts";
import {
  REVOCATION_DOCUMENT_TYPE,
  revocationDocumentSchema,
  type PublicationStatus,
  type RevocationDocument,
} from "@vergewis/sdk";
import { auditLog } from "../audit/append.ts";
import { blockContent } from "../content-block/store.ts";
import type { ServerContext } from "../context.ts";
import type { Db, Tx } from "../db/client.ts";
import { runTransaction, type Effects } from "../db/transaction.ts";
import { NotFoundError } from "../errors.ts";
import type { AuthenticationResponse } from "../passkey/schemas.ts";
import { markInvalid } from "../status-list/allocate.ts";
import { requestTakedown } from "../takedown/request.ts";
import { enqueueEvent } from "../webhook/outbox.ts";
import { declinePublication } from "./decline.ts";
import { assertBound } from "./document.ts";
import { ConsentNotActiveError } from "./errors.ts";
import { documentCeremony, verifySignedDocument, type DocumentCeremony, type SignedDocument } from "./signature.ts";
import { consentMachine, type ConsentStatus } from "./state.ts";
import type { Performer } from "../identity/performer.ts";

const consentSelect = {
  id: true,
  performerId: true,
  slotId: true,
  status: true,
  documentHash: true,
  statusListId: true,
  statusListIndex: true,
  performer: { select: { pseudonym: true } },
  publication: { select: { id: true, status: true, externalId: true, platformId: true } },
} as const;

/** An active consent of the performer, with what its revocation needs; NotFound for anyone else's. */
export async function activeConsent(db: Db | Tx, consentId: string, performerId: string) {
  const consent = await db.consent.findUnique({ where: { id: consentId }, select: consentSelect });
  if (!consent || consent.performerId !== performerId) throw new NotFoundError("consent");
  if (consent.status !== "active") throw new ConsentNotActiveError();
  return consent;
}

export type ConsentRow = Awaited<ReturnType<typeof activeConsent>>;

function revocationDocumentFor(consent: ConsentRow, issuer: string, issuedAt = new Date()): RevocationDocument {
  return {
    type: REVOCATION_DOCUMENT_TYPE,
    issuer,
    consent: { id: consent.id, documentHash: consent.documentHash },
    publication: { id: consent.publication.id },
    platform: { id: consent.publication.platformId },
    performer: consent.performer.pseudonym,
    issuedAt: issuedAt.toISOString(),
    nonce: randomBytes(16).toString("base64url"),
  };
}

/** Step 1: the revocation document and WebAuthn options whose challenge is its hash. */
export async function revocationCeremony(
  ctx: Pick<ServerContext, "db" | "webauthn" | "publicUrl">,
  who: Performer,
  consentId: string,
): Promise<DocumentCeremony<RevocationDocument>> {
  const consent = await activeConsent(ctx.db, consentId, who.performerId);
  return documentCeremony(
    ctx,
    who,
    { purpose: "revocation", subjectId: consentId },
    revocationDocumentFor(consent, ctx.publicUrl),
  );
}

export interface RevokedConsent {
  consentId: string;
  status: ConsentStatus;
  revokedAt: string;
  publication: { id: string; status: PublicationStatus };
  takedownId: string | null;
}

/**
 * Step 2: withdraws a consent, confirmed by a passkey signature over the revocation document, in
 * one transaction with its publication locked (withdrawConsent).
 */
export async function revokeConsent(
  ctx: Pick<ServerContext, "db" | "webauthn" | "publicUrl">,
  who: Performer,
  consentId: string,
  body: { document: unknown; response: AuthenticationResponse },
): Promise<RevokedConsent> {
  const { signed, document } = await verifySignedDocument(
    ctx,
    who,
    { purpose: "revocation", subjectId: consentId },
    body,
    revocationDocumentSchema,
    "a revocation document",
  );

  return runTransaction(ctx.db, async (tx, effects) => {
    await lockPublicationsOf(tx, [consentId]);
    const consent = await activeConsent(tx, consentId, who.performerId);
    const expected = revocationDocumentFor(consent, ctx.publicUrl);
    assertBound(document, expected, ["type", "issuer", "consent", "publication", "platform", "performer"]);
    return withdrawConsent(tx, effects, consent, signed, new Date());
  });
}

/**
 * Locks the publications of these consents, in id order (so that two transactions locking
 * overlapping sets cannot deadlock): answers and revocations of one publication are serialised.
 */
export async function lockPublicationsOf(tx: Tx, consentIds: string[]): Promise<void> {
  if (consentIds.length === 0) return;
  await tx.$executeRaw`SELECT 1 FROM "Publication" WHERE "id" IN (
    SELECT "publicationId" FROM "Consent" WHERE "id" = ANY(${consentIds}::uuid[])) ORDER BY "id" FOR UPDATE`;
}

/**
 * Withdraws one consent inside the caller's transaction, with `signed` (a revocation document, or
 * an account deletion that names it) as its evidence: consent `revoked` (final), its status-list
 * bit set, the audit event, and the consequence for the publication: a published one (`cleared`)
 * must be taken down (requestTakedown); one still `pending` was never published and now can never
 * clear, so it is `declined`; one already declined, expired or taken down needs nothing more. The
 * platform gets a `consent.revoked` webhook in every case. The caller holds the publication's lock.
 * In every case the publication's content is blocked on the platform (blockContent) until this
 * performer lifts the block.
 */
export async function withdrawConsent(
  tx: Tx,
  effects: Effects,
  consent: ConsentRow,
  signed: SignedDocument,
  revokedAt: Date,
): Promise<RevokedConsent> {
  const consentId = consent.id;
  await blockContent(tx, effects, consent.publication.id, { source: "withdrawal", consentId });
  await tx.consent.update({
    where: { id: consentId },
    data: {
      status: consentMachine.assert("active", "revoked"),
      revokedAt,
      revocation: {
        document: signed.canonical,
        documentHash: signed.documentHash,
        evidence: { ...signed.evidence, passkeyId: signed.passkeyId },
      },
    },
  });
  if (consent.statusListId !== null && consent.statusListIndex !== null) {
    await markInvalid(tx, { listId: consent.statusListId, idx: consent.statusListIndex });
  }
  const publication = consent.publication;
  let takedownId: string | null = null;
  let status = publication.status as PublicationStatus;
  if (status === "cleared" || status === "takedown_required") {
    takedownId = (
      await requestTakedown(tx, effects, { publicationId: publication.id, reason: "revocation", consentId })
    ).takedownId;
    status = "takedown_required";
  }
  // The platform's entries name the performer as the platform knows them (identity/pairwise.ts).
  const pseudonym = await platformPseudonymOf(tx, consent.performerId, publication.platformId);
  effects.write(auditLog, {
    type: "consent.revoked",
    platformId: publication.platformId,
    publicationId: publication.id,
    performerPseudonym: pseudonym,
    data: {
      consentId,
      slotId: consent.slotId,
      documentHash: consent.documentHash,
      revocationHash: signed.documentHash,
      passkeyId: signed.passkeyId,
      ...(takedownId && { takedownId }),
    },
  });
  if (status === "pending") {
    await declinePublication(
      tx,
      effects,
      { id: publication.id, platformId: publication.platformId, externalId: publication.externalId },
      consent.slotId,
      pseudonym,
      revokedAt,
    );
    status = "declined";
  }
  await enqueueEvent(tx, effects, {
    platformId: publication.platformId,
    type: "consent.revoked",
    payload: {
      consentId,
      publicationId: publication.id,
      externalId: publication.externalId,
      slotId: consent.slotId,
      revokedAt: revokedAt.toISOString(),
      publicationStatus: status,
      takedownId,
    },
  });
  return {
    consentId,
    status: "revoked",
    revokedAt: revokedAt.toISOString(),
    publication: { id: publication.id, status },
    takedownId,
  };
}

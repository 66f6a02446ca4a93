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
import { everywhereMatches, firstFingerprint, type EverywhereMatches } from "./everywhere.ts";
import type { Match } from "../report/match.ts";
import { recordNotice } from "../report/submit.ts";
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

function revocationDocumentFor(
  consent: ConsentRow,
  issuer: string,
  everywhere?: EverywhereMatches,
  issuedAt = new Date(),
): RevocationDocument {
  return {
    type: REVOCATION_DOCUMENT_TYPE,
    issuer,
    consent: { id: consent.id, documentHash: consent.documentHash },
    publication: { id: consent.publication.id },
    platform: { id: consent.publication.platformId },
    performer: consent.performer.pseudonym,
    ...(everywhere && {
      everywhere: { revokes: everywhere.revokes.map((r) => ({ id: r.consentId, documentHash: r.documentHash })) },
    }),
    issuedAt: issuedAt.toISOString(),
    nonce: randomBytes(16).toString("base64url"),
  };
}

type RevokeContext = Pick<ServerContext, "db" | "webauthn" | "publicUrl" | "config">;

const everywhereOf = (ctx: RevokeContext, db: Db | Tx, consent: ConsentRow, performerId: string) =>
  everywhereMatches(db, ctx.config.nearDuplicates, { performerId, publicationId: consent.publication.id });

/**
 * Step 1: the revocation document and WebAuthn options whose challenge is its hash. With
 * `everywhere`, the document names the performer's other consents that go with it.
 */
export async function revocationCeremony(
  ctx: RevokeContext,
  who: Performer,
  consentId: string,
  options: { everywhere?: boolean } = {},
): Promise<DocumentCeremony<RevocationDocument>> {
  const consent = await activeConsent(ctx.db, consentId, who.performerId);
  const everywhere = options.everywhere ? await everywhereOf(ctx, ctx.db, consent, who.performerId) : undefined;
  return documentCeremony(
    ctx,
    who,
    { purpose: "revocation", subjectId: consentId },
    revocationDocumentFor(consent, ctx.publicUrl, everywhere),
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
 * one transaction with its publication locked (withdrawConsent). A document that chose
 * "withdraw everywhere" also withdraws each matching consent it names (the matches found again
 * now must be the ones signed) and reports the matches where the performer never consented.
 */
export async function revokeConsent(
  ctx: RevokeContext,
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
    const chosen = document.everywhere?.revokes.map((r) => r.id) ?? [];
    await lockPublicationsOf(tx, [consentId, ...chosen]);
    const consent = await activeConsent(tx, consentId, who.performerId);
    const everywhere = document.everywhere ? await everywhereOf(ctx, tx, consent, who.performerId) : undefined;
    const expected = revocationDocumentFor(consent, ctx.publicUrl, everywhere);
    assertBound(document, expected, ["type", "issuer", "consent", "publication", "platform", "performer"]);
    // Signed without the choice, it must stay without it; signed with it, the consents it named must be those that match now.
    assertBound({ everywhere: document.everywhere ?? null }, { everywhere: expected.everywhere ?? null }, [
      "everywhere",
    ]);
    const revokedAt = new Date();
    const revoked = await withdrawConsent(tx, effects, consent, signed, revokedAt);
    if (!everywhere) return revoked;
    for (const { consentId: other, match } of everywhere.revokes) {
      const row = await activeConsent(tx, other, who.performerId);
      await withdrawConsent(tx, effects, row, signed, revokedAt, { of: consentId, ...matchOf(match) });
    }
    if (everywhere.reports.length > 0) {
      const reporter = {
        kind: "depicted_person",
        performerId: who.performerId,
        pseudonym: consent.performer.pseudonym,
      } as const;
      const input = {
        fingerprint: await firstFingerprint(tx, consent.publication.id),
        category: "consent_withdrawn",
      } as const;
      const reportCtx = {
        trustedFlaggerSla: ctx.config.reports.trustedFlaggerSla,
        nearDuplicates: ctx.config.nearDuplicates,
      };
      await recordNotice(tx, effects, reportCtx, input, everywhere.reports, reporter);
    }
    return revoked;
  });
}

const matchOf = (match: Match) => ({ algorithm: match.algorithm!, distance: match.distance! });

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
  /** Withdrawn everywhere with consent `of`: how its content matched that consent's. */
  everywhere?: { of: string; algorithm: string; distance: number },
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
      ...(everywhere && { everywhere }),
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

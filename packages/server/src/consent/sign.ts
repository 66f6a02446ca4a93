import type { PublicKeyCredentialRequestOptionsJSON } from "@simplewebauthn/server";
import { consentDocumentSchema, type ConsentDocument, type PublicationStatus } from "@vergewis/sdk";
import { appendEvent, auditLog } from "../audit/append.ts";
import { assertNotBlocked } from "../content-block/store.ts";
import type { ServerContext } from "../context.ts";
import type { Tx } from "../db/client.ts";
import { runTransaction, type Effects } from "../db/transaction.ts";
import { uuidv7 } from "../db/uuid.ts";
import { ValidationError } from "../errors.ts";
import type { AuthenticationResponse } from "../passkey/schemas.ts";
import { movePublication, slotMachine } from "../publication/state.ts";
import { statusListUri } from "../status-list/token.ts";
import { enqueueEvent } from "../webhook/outbox.ts";
import { assertConsentBound, consentDocumentFor, prepare } from "./document.ts";
import { RequestClosedError } from "./errors.ts";
import { assertAnswerable, freshAttestation } from "./guard.ts";
import { signReceipt } from "./receipt.ts";
import { loadRequest } from "./request.ts";
import { documentSignatureOptions, verifyDocumentSignature } from "./signature.ts";
import type { Performer } from "../identity/performer.ts";

export interface ConsentCeremony {
  document: ConsentDocument;
  documentHash: string;
  /** Pass to `startAuthentication({ optionsJSON })`. */
  options: PublicKeyCredentialRequestOptionsJSON;
}

export interface SignedConsent {
  consentId: string;
  receipt: string;
  documentHash: string;
  publication: { id: string; status: PublicationStatus };
}

/**
 * Step 1: the document to sign and WebAuthn options whose challenge is its hash. `verified`: the
 * content items the performer's browser showed and checked; the document names only those (all
 * when not given), and signing refuses it unless they are all of them.
 */
export async function consentCeremony(
  ctx: Pick<ServerContext, "db" | "webauthn" | "publicUrl" | "config">,
  who: Performer,
  slotId: string,
  verified?: readonly string[],
): Promise<ConsentCeremony> {
  const row = await loadRequest(ctx.db, slotId, who.performerId);
  assertAnswerable(row, who.performerId);
  freshAttestation(row, ctx.config.identity.attestationMaxAgeDays);
  const unsigned = consentDocumentFor(row, ctx.publicUrl);
  if (verified) unsigned.reviewedItems = unsigned.reviewedItems?.filter((i) => verified.includes(i.sha256));
  const { document, documentHash } = prepare(unsigned);
  const options = await documentSignatureOptions(ctx, {
    sessionId: who.sessionId,
    performerId: who.performerId,
    purpose: "consent",
    subjectId: slotId,
    documentHash,
  });
  return { document, documentHash, options };
}

/**
 * Step 2: records a signed consent. The signature is checked first (single-use challenge, hash of
 * the submitted document); then, in one transaction with the publication locked, that the
 * performer still holds this open request of a pending publication, has a fresh age attestation,
 * and that the document names exactly this publication, platform, content and scope. The consent,
 * its evidence, its receipt and the audit event are stored together; the last consent clears the
 * publication.
 */
export async function signConsent(
  ctx: Pick<ServerContext, "db" | "webauthn" | "publicUrl" | "config" | "keys" | "statusEntries">,
  who: Performer,
  slotId: string,
  body: { document: unknown; response: AuthenticationResponse },
): Promise<SignedConsent> {
  const signed = await verifyDocumentSignature(
    ctx,
    { sessionId: who.sessionId, performerId: who.performerId, purpose: "consent", subjectId: slotId },
    body.document,
    body.response,
  );
  const parsed = consentDocumentSchema.safeParse(body.document);
  if (!parsed.success) throw new ValidationError([{ pointer: "/body/document", reason: "is not a consent document" }]);
  const document = parsed.data;
  const entry = await ctx.statusEntries.next();
  // The key store reads the database: outside the transaction (the embedded pool has one connection).
  const key = await ctx.keys.current("receipt");

  return runTransaction(ctx.db, async (tx, effects) => {
    const row = await loadRequest(tx, slotId, who.performerId, { lock: true });
    assertAnswerable(row, who.performerId);
    const attestation = freshAttestation(row, ctx.config.identity.attestationMaxAgeDays);
    assertConsentBound(document, consentDocumentFor(row, ctx.publicUrl));

    const { publication } = row;
    // A request made before its content was withdrawn elsewhere on the platform cannot clear now.
    await assertNotBlocked(tx, publication.platform.id, publication.fingerprints, "/body/document/contentFingerprints");
    const consentId = uuidv7();
    const createdAt = new Date();
    const clears = (await markConsented(tx, slotId, createdAt)) === 0;
    if (clears) await movePublication(tx, effects, publication.id, "pending", "cleared", publication.fingerprints);
    // As late as the receipt allows (it names the entry's index), so that the log lock is held
    // briefly.
    const event = await appendEvent(tx, effects, {
      type: "consent.signed",
      platformId: publication.platform.id,
      publicationId: publication.id,
      performerPseudonym: row.actor.platformPseudonym,
      data: {
        consentId,
        slotId,
        documentHash: signed.documentHash,
        attestationId: attestation.id,
        passkeyId: signed.passkeyId,
        statusList: { id: entry.listId, idx: entry.idx },
      },
    });
    if (clears) {
      effects.write(auditLog, {
        type: "publication.cleared",
        platformId: publication.platform.id,
        publicationId: publication.id,
        data: {},
      });
    }
    const receipt = await signReceipt(key, {
      iss: ctx.publicUrl,
      sub: row.actor.platformPseudonym,
      aud: publication.platform.id,
      jti: consentId,
      iat: Math.floor(createdAt.getTime() / 1000),
      exp: Math.floor(publication.validUntil.getTime() / 1000),
      publicationId: publication.id,
      slotId,
      slotPosition: row.position,
      slotCount: row.slotCount,
      documentHash: signed.documentHash,
      contentFingerprints: document.contentFingerprints,
      scope: document.scope,
      auditIndex: Number(event.index),
      status: { status_list: { idx: entry.idx, uri: statusListUri(ctx.publicUrl, entry.listId) } },
    });
    await tx.consent.create({
      data: {
        id: consentId,
        slotId,
        publicationId: publication.id,
        performerId: who.performerId,
        document: signed.canonical,
        documentHash: signed.documentHash,
        evidence: { ...signed.evidence, passkeyId: signed.passkeyId },
        receipt,
        statusListId: entry.listId,
        statusListIndex: entry.idx,
        attestationId: attestation.id,
        validUntil: publication.validUntil,
        createdAt,
      },
      select: { id: true },
    });
    if (clears) {
      // Content with one depicted person (common) is cleared by this consent alone.
      const known = row.slotCount === 1 ? [{ id: consentId, slotId, receipt }] : undefined;
      await announceCleared(tx, effects, publication.id, publication.platform.id, publication.externalId, known);
    }
    const status: PublicationStatus = clears ? "cleared" : "pending";
    return { consentId, receipt, documentHash: signed.documentHash, publication: { id: publication.id, status } };
  });
}

/**
 * Marks the open slot consented and counts the publication's other slots that hold no consent yet.
 * The count is taken here, after loadRequest has locked the publication, in a statement of its
 * own: on PostgreSQL loadRequest's snapshot predates the lock, so a consent committed by the
 * transaction that held it would be missed, and the last two consents would both leave the
 * publication pending.
 */
async function markConsented(tx: Tx, slotId: string, decidedAt: Date): Promise<number> {
  const [row] = await tx.$queryRaw<Array<{ othersPending: number }>>`
    UPDATE "Slot" s SET "status" = ${slotMachine.assert("open", "consented")}::"SlotStatus", "decidedAt" = ${decidedAt}
    WHERE s.id = ${slotId}::uuid AND s.status = 'open'
    RETURNING (SELECT count(*) FROM "Slot" o WHERE o."publicationId" = s."publicationId" AND o.id <> s.id
      AND o.status <> 'consented')::int AS "othersPending"`;
  // Answered by a transaction that committed while this one waited for the lock.
  if (!row) throw new RequestClosedError("slot_not_open", "You already answered this request.");
  return row.othersPending;
}

/**
 * Every slot now holds a consent: the platform is told, with every receipt (docs/architecture.md §3, "A consent").
 * `consents` are passed in when they are known already.
 */
async function announceCleared(
  tx: Tx,
  effects: Effects,
  publicationId: string,
  platformId: string,
  externalId: string,
  consents?: Array<{ id: string; slotId: string; receipt: string | null }>,
): Promise<void> {
  consents ??= await tx.consent.findMany({
    where: { publicationId, status: "active" },
    select: { id: true, slotId: true, receipt: true },
    orderBy: { id: "asc" },
  });
  await enqueueEvent(tx, effects, {
    platformId,
    type: "publication.cleared",
    payload: {
      publicationId,
      externalId,
      clearedAt: new Date().toISOString(),
      consents: consents.map((c) => ({ consentId: c.id, slotId: c.slotId, receipt: c.receipt })),
    },
  });
}

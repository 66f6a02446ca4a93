import type { PublicKeyCredentialRequestOptionsJSON } from "@simplewebauthn/server";
import { consentDocumentSchema, type ConsentDocument, type PublicationStatus } from "@vergewis/sdk";
import { appendEvent } from "../audit/append.ts";
import type { ServerContext } from "../context.ts";
import type { Tx } from "../db/client.ts";
import { ValidationError } from "../errors.ts";
import type { AuthenticationResponse } from "../passkey/schemas.ts";
import { movePublication, slotMachine } from "../publication/state.ts";
import type { PortalSession } from "../session/store.ts";
import { allocateStatusEntry } from "../status-list/allocate.ts";
import { statusListUri } from "../status-list/token.ts";
import { enqueueEvent } from "../takedown/outbox.ts";
import { consentDocumentFor, loadRequest, mismatchedField, prepare } from "./document.ts";
import { lockPublicationOfSlot } from "./decline.ts";
import { DocumentMismatchError } from "./errors.ts";
import { assertAnswerable, freshAttestation } from "./guard.ts";
import { signReceipt } from "./receipt.ts";
import { documentSignatureOptions, verifyDocumentSignature } from "./signature.ts";

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

type Performer = { session: PortalSession; performerId: string };

async function pseudonymOf(ctx: ServerContext, performerId: string): Promise<string> {
  const { pseudonym } = await ctx.db.performer.findUniqueOrThrow({
    where: { id: performerId },
    select: { pseudonym: true },
  });
  return pseudonym;
}

/** Step 1: the document to sign and WebAuthn options whose challenge is its hash. */
export async function consentCeremony(ctx: ServerContext, who: Performer, slotId: string): Promise<ConsentCeremony> {
  const row = await loadRequest(ctx.db, slotId);
  assertAnswerable(row, who.performerId);
  await freshAttestation(ctx.db, who.performerId, ctx.config.identity.attestationMaxAgeDays);
  const { document, documentHash } = prepare(
    consentDocumentFor(row, await pseudonymOf(ctx, who.performerId), ctx.publicUrl),
  );
  const options = await documentSignatureOptions(ctx, {
    sessionId: who.session.id,
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
  ctx: ServerContext,
  who: Performer,
  slotId: string,
  body: { document: unknown; response: AuthenticationResponse },
): Promise<SignedConsent> {
  const signed = await verifyDocumentSignature(
    ctx,
    { sessionId: who.session.id, performerId: who.performerId, purpose: "consent", subjectId: slotId },
    body.document,
    body.response,
  );
  const parsed = consentDocumentSchema.safeParse(body.document);
  if (!parsed.success) throw new ValidationError([{ pointer: "/body/document", reason: "is not a consent document" }]);
  const document = parsed.data;
  const entry = await allocateStatusEntry(ctx.db, ctx.config.statusList.size);
  const key = await ctx.keys.current("receipt");

  return ctx.db.$transaction(async (tx) => {
    await lockPublicationOfSlot(tx, slotId);
    const row = await loadRequest(tx, slotId);
    assertAnswerable(row, who.performerId);
    const attestation = await freshAttestation(tx, who.performerId, ctx.config.identity.attestationMaxAgeDays);
    const performer = await tx.performer.findUniqueOrThrow({
      where: { id: who.performerId },
      select: { pseudonym: true },
    });
    const field = mismatchedField(document, consentDocumentFor(row, performer.pseudonym, ctx.publicUrl));
    if (field) throw new DocumentMismatchError(field);

    const publication = row.publication;
    const consent = await tx.consent.create({
      data: {
        slotId,
        publicationId: publication.id,
        performerId: who.performerId,
        document: signed.canonical,
        documentHash: signed.documentHash,
        evidence: { ...signed.evidence, passkeyId: signed.passkeyId },
        statusListId: entry.listId,
        statusListIndex: entry.idx,
        attestationId: attestation.id,
        validUntil: publication.validUntil,
      },
      select: { id: true, createdAt: true },
    });
    const now = new Date();
    await tx.slot.update({
      where: { id: slotId },
      data: { status: slotMachine.assert("open", "consented"), decidedAt: now },
    });
    const event = await appendEvent(tx, {
      type: "consent.signed",
      platformId: publication.platform.id,
      publicationId: publication.id,
      performerPseudonym: performer.pseudonym,
      data: {
        consentId: consent.id,
        slotId,
        documentHash: signed.documentHash,
        attestationId: attestation.id,
        passkeyId: signed.passkeyId,
        statusList: { id: entry.listId, idx: entry.idx },
      },
    });
    const receipt = await signReceipt(key, {
      iss: ctx.publicUrl,
      sub: performer.pseudonym,
      aud: publication.platform.id,
      jti: consent.id,
      iat: Math.floor(consent.createdAt.getTime() / 1000),
      exp: Math.floor(publication.validUntil.getTime() / 1000),
      publicationId: publication.id,
      slotId,
      documentHash: signed.documentHash,
      contentFingerprints: document.contentFingerprints,
      scope: document.scope,
      auditIndex: Number(event.index),
      status: { status_list: { idx: entry.idx, uri: statusListUri(ctx.publicUrl, entry.listId) } },
    });
    await tx.consent.update({ where: { id: consent.id }, data: { receipt } });
    const status = await clearIfComplete(tx, publication.id, publication.platform.id, publication.externalId);
    return {
      consentId: consent.id,
      receipt,
      documentHash: signed.documentHash,
      publication: { id: publication.id, status },
    };
  });
}

/** When every slot holds a consent the publication is cleared and the platform told (design §2). */
async function clearIfComplete(
  tx: Tx,
  publicationId: string,
  platformId: string,
  externalId: string,
): Promise<PublicationStatus> {
  const slots = await tx.slot.findMany({ where: { publicationId }, select: { status: true } });
  if (!slots.every((s) => s.status === "consented")) return "pending";
  await movePublication(tx, publicationId, "pending", "cleared");
  await appendEvent(tx, { type: "publication.cleared", platformId, publicationId, data: {} });
  const consents = await tx.consent.findMany({
    where: { publicationId, status: "active" },
    select: { id: true, slotId: true, receipt: true },
    orderBy: { id: "asc" },
  });
  await enqueueEvent(tx, {
    platformId,
    type: "publication.cleared",
    payload: {
      publicationId,
      externalId,
      clearedAt: new Date().toISOString(),
      consents: consents.map((c) => ({ consentId: c.id, slotId: c.slotId, receipt: c.receipt })),
    },
  });
  return "cleared";
}

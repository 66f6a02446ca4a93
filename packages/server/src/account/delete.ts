import { randomBytes } from "node:crypto";
import type { PublicKeyCredentialRequestOptionsJSON } from "@simplewebauthn/server";
import {
  ACCOUNT_DELETION_DOCUMENT_TYPE,
  accountDeletionDocumentSchema,
  type AccountDeletionDocument,
} from "@vergewis/sdk";
import { auditLog } from "../audit/append.ts";
import { declineAnswerable } from "../consent/decline.ts";
import { assertBound, prepare } from "../consent/document.ts";
import { DocumentMismatchError } from "../consent/errors.ts";
import { loadRequest } from "../consent/request.ts";
import { activeConsent, withdrawConsent, type RevokedConsent } from "../consent/revoke.ts";
import { documentSignatureOptions, verifyDocumentSignature } from "../consent/signature.ts";
import { lockContentOf } from "../content-block/store.ts";
import type { ServerContext } from "../context.ts";
import type { Db, Tx } from "../db/client.ts";
import { runTransaction } from "../db/transaction.ts";
import { ValidationError } from "../errors.ts";
import type { AuthenticationResponse } from "../passkey/schemas.ts";
import { erasePersonalData } from "./erase.ts";
import type { Performer } from "../identity/performer.ts";

/**
 * What deleting the account now would revoke and decline: every active consent, and every open
 * request the performer holds that can still be answered. Both lists in id order, so that the
 * signed document and the server's view compare as canonical JSON.
 */
async function consequences(db: Db | Tx, performerId: string, now = new Date()) {
  const performer = await db.performer.findUniqueOrThrow({ where: { id: performerId }, select: { pseudonym: true } });
  const consents = await db.consent.findMany({
    where: { performerId, status: "active" },
    select: { id: true, documentHash: true },
    orderBy: { id: "asc" },
  });
  const slots = await db.slot.findMany({
    where: { performerId, status: "open", expiresAt: { gt: now }, publication: { status: "pending" } },
    select: { id: true },
    orderBy: { id: "asc" },
  });
  return {
    pseudonym: performer.pseudonym,
    revokes: consents.map((c) => ({ id: c.id, documentHash: c.documentHash })),
    declines: slots.map((s) => ({ slotId: s.id })),
  };
}

function deletionDocumentFor(
  issuer: string,
  c: Awaited<ReturnType<typeof consequences>>,
  issuedAt = new Date(),
): AccountDeletionDocument {
  return {
    type: ACCOUNT_DELETION_DOCUMENT_TYPE,
    issuer,
    performer: c.pseudonym,
    revokes: c.revokes,
    declines: c.declines,
    issuedAt: issuedAt.toISOString(),
    nonce: randomBytes(16).toString("base64url"),
  };
}

/** Step 1: the deletion document (naming what it revokes and declines) and WebAuthn options over its hash. */
export async function deletionCeremony(
  ctx: Pick<ServerContext, "db" | "webauthn" | "publicUrl">,
  who: Performer,
): Promise<{
  document: AccountDeletionDocument;
  documentHash: string;
  options: PublicKeyCredentialRequestOptionsJSON;
}> {
  const { document, documentHash } = prepare(
    deletionDocumentFor(ctx.publicUrl, await consequences(ctx.db, who.performerId)),
  );
  const options = await documentSignatureOptions(ctx, {
    sessionId: who.sessionId,
    performerId: who.performerId,
    purpose: "deletion",
    subjectId: who.performerId,
    documentHash,
  });
  return { document, documentHash, options };
}

export interface DeletedAccount {
  revoked: RevokedConsent[];
  declined: string[];
  deletedAt: string;
}

/**
 * Step 2: deletes the account, confirmed by one passkey signature over the deletion document. One
 * transaction, with the performer and every publication concerned locked: the document must name
 * exactly the consents and open requests the server has now (otherwise `document_mismatch`: the
 * person reviews again); each consent is revoked with the signed document as its evidence, exactly
 * as a revocation of its own would be (takedowns, status bits, webhooks, audit events); each open
 * request is declined; then the personal data is erased and `account.deleted` appended.
 */
export async function deleteAccount(
  ctx: Pick<ServerContext, "db" | "webauthn" | "publicUrl">,
  who: Performer,
  body: { document: unknown; response: AuthenticationResponse },
): Promise<DeletedAccount> {
  const signed = await verifyDocumentSignature(
    ctx,
    { sessionId: who.sessionId, performerId: who.performerId, purpose: "deletion", subjectId: who.performerId },
    body.document,
    body.response,
  );
  const parsed = accountDeletionDocumentSchema.safeParse(body.document);
  if (!parsed.success) {
    throw new ValidationError([{ pointer: "/body/document", reason: "is not an account deletion document" }]);
  }
  const document = parsed.data;
  const { performerId } = who;

  return runTransaction(ctx.db, async (tx, effects) => {
    await tx.$executeRaw`SELECT 1 FROM "Performer" WHERE "id" = ${performerId}::uuid FOR UPDATE`;
    // Publications in id order, as every other locker of several publications takes them.
    await tx.$executeRaw`SELECT 1 FROM "Publication" WHERE "id" IN (
        SELECT "publicationId" FROM "Consent" WHERE "performerId" = ${performerId}::uuid AND "status" = 'active'
        UNION SELECT "publicationId" FROM "Slot" WHERE "performerId" = ${performerId}::uuid AND "status" = 'open')
      ORDER BY "id" FOR UPDATE`;
    const now = new Date();
    const expected = deletionDocumentFor(ctx.publicUrl, await consequences(tx, performerId, now));
    assertBound(document, expected, ["type", "issuer", "performer", "revokes", "declines"]);

    // Each withdrawal blocks its content: all the content locks at once, in order, not one set a time.
    const withdrawn = await tx.consent.findMany({
      where: { id: { in: document.revokes.map((r) => r.id) } },
      select: { publicationId: true },
    });
    await lockContentOf(
      tx,
      withdrawn.map((c) => c.publicationId),
    );
    const revoked: RevokedConsent[] = [];
    for (const { id } of document.revokes) {
      revoked.push(await withdrawConsent(tx, effects, await activeConsent(tx, id, performerId), signed, now));
    }
    for (const { slotId } of document.declines) {
      const row = await loadRequest(tx, slotId, performerId);
      if (!row) throw new DocumentMismatchError("declines");
      await declineAnswerable(tx, effects, row, now);
    }
    const erased = await erasePersonalData(tx, performerId, now);
    effects.write(auditLog, {
      type: "account.deleted",
      performerPseudonym: document.performer,
      data: {
        deletionHash: signed.documentHash,
        passkeyId: signed.passkeyId,
        revokedConsents: document.revokes.map((r) => r.id),
        declinedSlots: document.declines.map((d) => d.slotId),
        erased,
      },
    });
    return { revoked, declined: document.declines.map((d) => d.slotId), deletedAt: now.toISOString() };
  });
}

import { randomBytes } from "node:crypto";
import { platformPseudonymOf } from "../identity/pairwise.ts";
import {
  BLOCK_LIFT_DOCUMENT_TYPE,
  blockLiftDocumentSchema,
  type BlockLiftDocument,
  type Fingerprint,
} from "@vergewis/sdk";
import { auditLog } from "../audit/append.ts";
import { assertBound } from "./document.ts";
import { documentCeremony, verifySignedDocument, type DocumentCeremony } from "./signature.ts";
import type { ServerContext } from "../context.ts";
import { changeSignal, topic } from "../db/changes.ts";
import type { Db, Tx } from "../db/client.ts";
import { runTransaction } from "../db/transaction.ts";
import { ConflictError, NotFoundError } from "../errors.ts";
import type { AuthenticationResponse } from "../passkey/schemas.ts";
import { lockContent } from "../content-block/store.ts";
import type { Performer } from "../identity/performer.ts";

/** A withdrawn consent of the performer with the fingerprints its withdrawal still blocks. */
async function ownBlock(db: Db | Tx, consentId: string, performerId: string) {
  const consent = await db.consent.findUnique({
    where: { id: consentId },
    select: {
      id: true,
      performerId: true,
      documentHash: true,
      performer: { select: { pseudonym: true } },
      publication: { select: { id: true, platformId: true } },
    },
  });
  if (!consent || consent.performerId !== performerId) throw new NotFoundError("consent");
  const blocks = await db.contentBlock.findMany({
    where: { consentId, liftedAt: null },
    select: { alg: true, value: true },
    orderBy: { id: "asc" },
  });
  if (blocks.length === 0) throw notBlocking();
  return { consent, fingerprints: blocks as Fingerprint[] };
}

const notBlocking = () =>
  new ConflictError("block_not_active", "Your withdrawal of this consent does not block any content (any more).");

type OwnBlock = Awaited<ReturnType<typeof ownBlock>>;

function liftDocumentFor({ consent, fingerprints }: OwnBlock, issuer: string): BlockLiftDocument {
  return {
    type: BLOCK_LIFT_DOCUMENT_TYPE,
    issuer,
    consent: { id: consent.id, documentHash: consent.documentHash },
    publication: { id: consent.publication.id },
    platform: { id: consent.publication.platformId },
    contentFingerprints: fingerprints,
    performer: consent.performer.pseudonym,
    issuedAt: new Date().toISOString(),
    nonce: randomBytes(16).toString("base64url"),
  };
}

/** Step 1: the lift document and WebAuthn options whose challenge is its hash. */
export async function liftCeremony(
  ctx: Pick<ServerContext, "db" | "webauthn" | "publicUrl">,
  who: Performer,
  consentId: string,
): Promise<DocumentCeremony<BlockLiftDocument>> {
  const block = await ownBlock(ctx.db, consentId, who.performerId);
  return documentCeremony(ctx, who, { purpose: "lift", subjectId: consentId }, liftDocumentFor(block, ctx.publicUrl));
}

export interface LiftedBlock {
  consentId: string;
  liftedAt: string;
  contentFingerprints: Fingerprint[];
  /** Another withdrawal or an upheld report still blocks some of this content. */
  stillBlocked: boolean;
}

/**
 * Step 2: the performer allows content they withdrew again, confirmed by a passkey signature over
 * the lift document. Only their own withdrawal stops blocking: the content locks are held, so a
 * publication request waits for this and then sees it, and cached publish checks are dropped.
 */
export async function liftBlock(
  ctx: Pick<ServerContext, "db" | "webauthn" | "publicUrl">,
  who: Performer,
  consentId: string,
  body: { document: unknown; response: AuthenticationResponse },
): Promise<LiftedBlock> {
  const { signed, document } = await verifySignedDocument(
    ctx,
    who,
    { purpose: "lift", subjectId: consentId },
    body,
    blockLiftDocumentSchema,
    "a block lift document",
  );

  return runTransaction(ctx.db, async (tx, effects) => {
    const block = await ownBlock(tx, consentId, who.performerId);
    const { platformId } = block.consent.publication;
    // Publication requests and signatures of this content wait until the lift is committed.
    await lockContent(tx, platformId, block.fingerprints);
    const expected = liftDocumentFor(block, ctx.publicUrl);
    assertBound(document, expected, [
      "type",
      "issuer",
      "consent",
      "publication",
      "platform",
      "contentFingerprints",
      "performer",
    ]);
    const liftedAt = new Date();
    const { count } = await tx.contentBlock.updateMany({
      where: { consentId, liftedAt: null },
      data: {
        liftedAt,
        lift: {
          document: signed.canonical,
          documentHash: signed.documentHash,
          evidence: { ...signed.evidence, passkeyId: signed.passkeyId },
        },
      },
    });
    // Lifted by a request that committed while this one waited for the content locks.
    if (count === 0) throw notBlocking();
    effects.signal(changeSignal(block.fingerprints.map(topic.fingerprint)));
    effects.write(auditLog, {
      type: "content.block_lifted",
      platformId,
      publicationId: block.consent.publication.id,
      performerPseudonym: await platformPseudonymOf(tx, who.performerId, platformId),
      data: {
        consentId,
        liftHash: signed.documentHash,
        passkeyId: signed.passkeyId,
        contentFingerprints: block.fingerprints,
      },
    });
    const others = await tx.contentBlock.count({
      where: {
        platformId,
        liftedAt: null,
        OR: block.fingerprints.map(({ alg, value }) => ({ alg, value })),
      },
    });
    return {
      consentId,
      liftedAt: liftedAt.toISOString(),
      contentFingerprints: block.fingerprints,
      stillBlocked: others > 0,
    };
  });
}

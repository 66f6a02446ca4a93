import type { CreatedPublication, MailLanguage, PublicationStatus, publicationRequestSchema } from "@vergewis/sdk";
import type { z } from "zod";
import { auditLog } from "../audit/append.ts";
import { hexList } from "../db/bytea.ts";
import { assertNotBlocked } from "../content-block/store.ts";
import { assertNoBlockedNearDuplicate } from "../content-block/near-duplicate.ts";
import { perceptualHashesOf } from "../near-duplicate/input.ts";
import type { Config } from "../config/schema.ts";
import { changeSignal, topic } from "../db/changes.ts";
import type { Tx } from "../db/client.ts";
import type { Effects } from "../db/transaction.ts";
import { isUniqueViolation } from "../db/errors.ts";
import { indexPerceptualHashes } from "../near-duplicate/store.ts";
import { uuidv7 } from "../db/uuid.ts";
import { ConflictError } from "../errors.ts";
import { queueInvitationMails } from "../mail/outbox.ts";
import { invitationUrl, newInvitation } from "./invitation.ts";
import { checkReviewUrls } from "./review-url.ts";
import { toResource } from "./resource.ts";

export interface CreateContext {
  serverSecret: Buffer;
  publicUrl: string;
  invitationTtlDays: number;
  nearDuplicates: Config["nearDuplicates"];
  /** Accept http review URLs on loopback hosts (outside production). */
  allowLoopbackHttp: boolean;
  /** The invitation mail's language where a slot names none. */
  mailLanguage: MailLanguage;
}

const DAY = 86_400_000;

/**
 * Records a publication request with one invitation per depicted person. Runs in the caller's
 * transaction: the publication, its fingerprints, slots, invitation mails and audit event exist
 * together or not at all. Each co-performer's code goes only into their sealed mail; the answer
 * carries the uploader slot's invitation alone.
 * Content under a withdrawal or an upheld report is refused (ContentWithdrawnError) under the
 * content locks, so a withdrawal committed meanwhile is seen and nothing is stored; so is a near
 * duplicate of such content (a `pdq` fingerprint with its quality, or a `vpdq` one). The perceptual
 * fingerprints are added to the near-duplicate index in the same transaction.
 */
export async function createPublication(
  tx: Tx,
  effects: Effects,
  ctx: CreateContext,
  platformId: string,
  request: z.output<typeof publicationRequestSchema>,
): Promise<CreatedPublication> {
  checkReviewUrls(request.reviewItems, ctx);
  await assertNotBlocked(tx, platformId, request.contentFingerprints);
  await assertNoBlockedNearDuplicate(tx, platformId, request.contentFingerprints, ctx.nearDuplicates);
  const validUntil = new Date(request.scope.validUntil);
  const expiresAt = new Date(Math.min(Date.now() + ctx.invitationTtlDays * DAY, validUntil.getTime()));
  const invitations = request.slots.map(() => newInvitation(ctx.serverSecret));
  // Ids made here, so that the response is built from what was written instead of read back.
  // Fingerprints are listed in id order; uuidv7 counts up, so that is the order of the request.
  const fingerprints = request.contentFingerprints.map((f) => ({ id: uuidv7(), ...f }));
  const reviewUrls = new Map(request.reviewItems.map((i) => [i.sha256, i.url]));
  const reviewUrlOf = (f: { alg: string; value: string }) => (f.alg === "sha-256" && reviewUrls.get(f.value)) || null;
  const slots = request.slots.map((slot, position) => ({
    id: uuidv7(),
    position,
    role: slot.role,
    status: "open" as const,
    contact: slot.contact ?? null,
    codeHash: invitations[position]!.hash,
    expiresAt,
  }));
  const publicationId = uuidv7();
  // One statement for the publication, its fingerprints and its slots: on the embedded database
  // every round trip inside a transaction holds its only session.
  const [row] = await tx.$queryRaw<Array<{ status: PublicationStatus; createdAt: Date; updatedAt: Date }>>`
    WITH publication AS (
      INSERT INTO "Publication" ("id", "platformId", "externalId", "title", "previewUrl", "purposes", "territories",
        "validUntil", "producedAt", "updatedAt")
      VALUES (${publicationId}::uuid, ${platformId}::uuid, ${request.externalId}, ${request.title},
        ${request.previewUrl ?? null}, ${request.scope.purposes}::text[], ${request.scope.territories}::text[],
        ${validUntil}, ${request.producedAt}::date, now())
      RETURNING "id", "status"::text AS "status", "createdAt", "updatedAt"
    ), fingerprints AS (
      INSERT INTO "ContentFingerprint" ("id", "publicationId", "alg", "value", "reviewUrl")
      SELECT f.id, p.id, f.alg, f.value, f.review_url
      FROM publication p, unnest(${fingerprints.map((f) => f.id)}::uuid[], ${fingerprints.map((f) => f.alg)}::text[],
        ${fingerprints.map((f) => f.value)}::text[], ${fingerprints.map(reviewUrlOf)}::text[]) AS f(id, alg, value, review_url)
    ), slots AS (
      INSERT INTO "Slot" ("id", "publicationId", "position", "role", "contact", "codeHash", "expiresAt")
      SELECT s.id, p.id, s.position, s.role, s.contact, decode(s.code_hash, 'hex'), ${expiresAt}
      FROM publication p, unnest(${slots.map((s) => s.id)}::uuid[], ${slots.map((s) => s.position)}::int[],
        ${slots.map((s) => s.role)}::text[], ${slots.map((s) => s.contact)}::text[],
        ${hexList(slots.map((s) => s.codeHash))}::text[]) AS s(id, position, role, contact, code_hash)
    )
    SELECT "status", "createdAt", "updatedAt" FROM publication`.catch((error: unknown) => {
    throw isUniqueViolation(error, "Publication_platformId_externalId_key")
      ? new ConflictError(
          "external_id_taken",
          `You already have a publication request with externalId "${request.externalId}".`,
        )
      : error;
  });
  for (const fingerprint of fingerprints) {
    const hashes = perceptualHashesOf(fingerprint);
    if (hashes) await indexPerceptualHashes(tx, { platformId, fingerprintId: fingerprint.id }, hashes);
  }
  // A new publication blocks nothing, so near-duplicate decisions of other content stand.
  effects.signal(changeSignal(request.contentFingerprints.map(topic.fingerprint), { nearDuplicates: false }));
  const publication = toResource({
    ...row!,
    id: publicationId,
    platformId,
    externalId: request.externalId,
    title: request.title,
    previewUrl: request.previewUrl ?? null,
    purposes: request.scope.purposes,
    territories: request.scope.territories,
    validUntil,
    producedAt: new Date(request.producedAt),
    fingerprints,
    slots,
  });
  await queueInvitationMails(
    tx,
    effects,
    ctx.serverSecret,
    request.slots.flatMap((slot, position) =>
      slot.role === "co-performer"
        ? [
            {
              slotId: slots[position]!.id,
              platformId,
              language: slot.language ?? ctx.mailLanguage,
              code: invitations[position]!.code,
            },
          ]
        : [],
    ),
  );
  effects.write(auditLog, {
    type: "publication.requested",
    platformId,
    publicationId,
    data: {
      contentFingerprints: publication.contentFingerprints,
      scope: publication.scope,
      producedAt: request.producedAt,
      slots: publication.slots.map((s) => ({ id: s.id, role: s.role, expiresAt: s.expiresAt })),
    },
  });
  return {
    ...publication,
    invitations: publication.slots
      .filter((slot) => slot.role === "uploader")
      .map((slot) => ({
        slotId: slot.id,
        position: slot.position,
        url: invitationUrl(ctx.publicUrl, invitations[slot.position]!.code),
        code: invitations[slot.position]!.code,
        expiresAt: slot.expiresAt,
      })),
  };
}

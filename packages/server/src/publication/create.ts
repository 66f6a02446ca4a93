import type { CreatedPublication, MailLanguage, PublicationStatus, publicationRequestSchema } from "@vergewis/sdk";
import type { z } from "zod";
import { auditLog } from "../audit/append.ts";
import { hexList } from "../db/bytea.ts";
import { assertNotBlocked } from "../content-block/store.ts";
import { changeSignal, topic } from "../db/changes.ts";
import type { Tx } from "../db/client.ts";
import type { Effects } from "../db/transaction.ts";
import { isUniqueViolation } from "../db/errors.ts";
import { uuidv7 } from "../db/uuid.ts";
import { ConflictError } from "../errors.ts";
import { queueInvitationMails } from "../mail/outbox.ts";
import { invitationUrl, newInvitation } from "./invitation.ts";
import { toResource } from "./resource.ts";

export interface CreateContext {
  serverSecret: Buffer;
  publicUrl: string;
  invitationTtlDays: number;
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
 * content locks, so a withdrawal committed meanwhile is seen and nothing is stored.
 */
export async function createPublication(
  tx: Tx,
  effects: Effects,
  ctx: CreateContext,
  platformId: string,
  request: z.output<typeof publicationRequestSchema>,
): Promise<CreatedPublication> {
  await assertNotBlocked(tx, platformId, request.contentFingerprints);
  const validUntil = new Date(request.scope.validUntil);
  const expiresAt = new Date(Math.min(Date.now() + ctx.invitationTtlDays * DAY, validUntil.getTime()));
  const invitations = request.slots.map(() => newInvitation(ctx.serverSecret));
  // Ids made here, so that the response is built from what was written instead of read back.
  // Fingerprints are listed in id order; uuidv7 counts up, so that is the order of the request.
  const fingerprints = request.contentFingerprints.map((f) => ({ id: uuidv7(), ...f }));
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
        "validUntil", "updatedAt")
      VALUES (${publicationId}::uuid, ${platformId}::uuid, ${request.externalId}, ${request.title},
        ${request.previewUrl ?? null}, ${request.scope.purposes}::text[], ${request.scope.territories}::text[],
        ${validUntil}, now())
      RETURNING "id", "status"::text AS "status", "createdAt", "updatedAt"
    ), fingerprints AS (
      INSERT INTO "ContentFingerprint" ("id", "publicationId", "alg", "value")
      SELECT f.id, p.id, f.alg, f.value
      FROM publication p, unnest(${fingerprints.map((f) => f.id)}::uuid[], ${fingerprints.map((f) => f.alg)}::text[],
        ${fingerprints.map((f) => f.value)}::text[]) AS f(id, alg, value)
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
  effects.signal(changeSignal(request.contentFingerprints.map(topic.fingerprint)));
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

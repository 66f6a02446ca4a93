import type { CreatedPublication, publicationRequestSchema } from "@vergewis/sdk";
import type { z } from "zod";
import { recordEvent } from "../audit/append.ts";
import { signalChange, topic } from "../db/changes.ts";
import type { Tx } from "../db/client.ts";
import { isUniqueViolation } from "../db/errors.ts";
import { uuidv7 } from "../db/uuid.ts";
import { ConflictError } from "../errors.ts";
import { invitationUrl, newInvitation } from "./invitation.ts";
import { toResource } from "./resource.ts";

export interface CreateContext {
  serverSecret: Buffer;
  publicUrl: string;
  invitationTtlDays: number;
}

const DAY = 86_400_000;

/**
 * Records a publication request with one invitation per depicted person. Runs in the caller's
 * transaction: the publication, its fingerprints, slots and audit event exist together or not at all.
 */
export async function createPublication(
  tx: Tx,
  ctx: CreateContext,
  platformId: string,
  request: z.output<typeof publicationRequestSchema>,
): Promise<CreatedPublication> {
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
  const row = await tx.publication
    .create({
      data: {
        platformId,
        externalId: request.externalId,
        title: request.title,
        previewUrl: request.previewUrl ?? null,
        purposes: request.scope.purposes,
        territories: request.scope.territories,
        validUntil,
      },
    })
    .catch((error: unknown) => {
      throw isUniqueViolation(error, "Publication_platformId_externalId_key")
        ? new ConflictError(
            "external_id_taken",
            `You already have a publication request with externalId "${request.externalId}".`,
          )
        : error;
    });
  // Flat inserts: a nested create would read the rows back, one query each.
  await tx.contentFingerprint.createMany({ data: fingerprints.map((f) => ({ ...f, publicationId: row.id })) });
  await tx.slot.createMany({ data: slots.map((slot) => ({ ...slot, publicationId: row.id })) });
  await signalChange(tx, request.contentFingerprints.map(topic.fingerprint));
  const publication = toResource({ ...row, fingerprints, slots });
  recordEvent(tx, {
    type: "publication.requested",
    platformId,
    publicationId: row.id,
    data: {
      contentFingerprints: publication.contentFingerprints,
      scope: publication.scope,
      slots: publication.slots.map((s) => ({ id: s.id, role: s.role, expiresAt: s.expiresAt })),
    },
  });
  return {
    ...publication,
    invitations: publication.slots.map((slot) => ({
      slotId: slot.id,
      position: slot.position,
      url: invitationUrl(ctx.publicUrl, invitations[slot.position]!.code),
      code: invitations[slot.position]!.code,
      expiresAt: slot.expiresAt,
    })),
  };
}

import type { CreatedPublication, publicationRequestSchema } from "@vergewis/sdk";
import type { z } from "zod";
import { appendEvent } from "../audit/append.ts";
import { signalChange, topic } from "../db/changes.ts";
import type { Tx } from "../db/client.ts";
import { isUniqueViolation } from "../db/errors.ts";
import { ConflictError } from "../errors.ts";
import { invitationUrl, newInvitation } from "./invitation.ts";
import { publicationInclude, toResource } from "./resource.ts";

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
  const taken = await tx.publication.findUnique({
    where: { platformId_externalId: { platformId, externalId: request.externalId } },
    select: { id: true },
  });
  const externalIdTaken = () =>
    new ConflictError(
      "external_id_taken",
      `You already have a publication request with externalId "${request.externalId}".`,
    );
  if (taken) throw externalIdTaken();
  const validUntil = new Date(request.scope.validUntil);
  const expiresAt = new Date(Math.min(Date.now() + ctx.invitationTtlDays * DAY, validUntil.getTime()));
  const invitations = request.slots.map(() => newInvitation(ctx.serverSecret));
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
        fingerprints: { create: request.contentFingerprints },
        slots: {
          create: request.slots.map((slot, position) => ({
            position,
            role: slot.role,
            contact: slot.contact ?? null,
            codeHash: invitations[position]!.hash,
            expiresAt,
          })),
        },
      },
      include: publicationInclude,
    })
    .catch((error: unknown) => {
      throw isUniqueViolation(error, "Publication_platformId_externalId_key") ? externalIdTaken() : error;
    });
  await signalChange(tx, request.contentFingerprints.map(topic.fingerprint));
  const publication = toResource(row);
  await appendEvent(tx, {
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

import type { PublicationStatus } from "@vergewis/sdk";
import { appendEvent } from "../audit/append.ts";
import type { ServerContext } from "../context.ts";
import type { Tx } from "../db/client.ts";
import { movePublication, slotMachine } from "../publication/state.ts";
import { enqueueEvent } from "../takedown/outbox.ts";
import { assertAnswerable } from "./guard.ts";
import { loadRequest } from "./request.ts";

/**
 * A performer says no. The publication can then never be cleared, so it is declined at once and
 * the platform told; the decline is in the audit log like a consent.
 */
export async function declineRequest(
  ctx: ServerContext,
  performerId: string,
  slotId: string,
): Promise<{ publication: { id: string; status: PublicationStatus } }> {
  return ctx.db.$transaction(async (tx) => {
    const row = await loadRequest(tx, slotId, performerId, { lock: true });
    assertAnswerable(row, performerId);
    const { publication } = row;
    const now = new Date();
    await tx.slot.update({
      where: { id: slotId },
      data: { status: slotMachine.assert("open", "declined"), decidedAt: now },
    });
    await declinePublication(
      tx,
      { id: publication.id, platformId: publication.platform.id, externalId: publication.externalId },
      slotId,
      row.actor.pseudonym,
      now,
    );
    return { publication: { id: publication.id, status: "declined" as const } };
  });
}

/** pending → declined, with its audit event and `publication.declined` webhook. */
export async function declinePublication(
  tx: Tx,
  publication: { id: string; platformId: string; externalId: string },
  slotId: string,
  performerPseudonym: string,
  at: Date,
): Promise<void> {
  await movePublication(tx, publication.id, "pending", "declined");
  await appendEvent(tx, {
    type: "publication.declined",
    platformId: publication.platformId,
    publicationId: publication.id,
    performerPseudonym,
    data: { slotId },
  });
  await enqueueEvent(tx, {
    platformId: publication.platformId,
    type: "publication.declined",
    payload: {
      publicationId: publication.id,
      externalId: publication.externalId,
      slotId,
      declinedAt: at.toISOString(),
    },
  });
}

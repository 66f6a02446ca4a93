import type { PublicationStatus } from "@vergewis/sdk";
import { auditLog } from "../audit/append.ts";
import type { ServerContext } from "../context.ts";
import type { Tx } from "../db/client.ts";
import { runTransaction, type Effects } from "../db/transaction.ts";
import { movePublication, slotMachine } from "../publication/state.ts";
import { enqueueEvent } from "../webhook/outbox.ts";
import { RequestClosedError } from "./errors.ts";
import { assertAnswerable } from "./guard.ts";
import { loadRequest, type RequestRow } from "./request.ts";

/**
 * A performer says no. The publication can then never be cleared, so it is declined at once and
 * the platform told; the decline is in the audit log like a consent.
 */
export async function declineRequest(
  ctx: Pick<ServerContext, "db">,
  performerId: string,
  slotId: string,
): Promise<{ publication: { id: string; status: PublicationStatus } }> {
  return runTransaction(ctx.db, async (tx, effects) => {
    const row = await loadRequest(tx, slotId, performerId, { lock: true });
    assertAnswerable(row, performerId);
    await declineAnswerable(tx, effects, row, new Date());
    return { publication: { id: row.publication.id, status: "declined" as const } };
  });
}

/**
 * Declines a request that the caller checked is answerable, with its publication locked. The check
 * read the slot before the lock was granted (on PostgreSQL only the publication is re-read), so the
 * decline is conditional on the slot being still open and theirs: a consent given meanwhile wins.
 */
export async function declineAnswerable(tx: Tx, effects: Effects, row: RequestRow, at: Date): Promise<void> {
  const { publication } = row;
  const declined = await tx.slot.updateMany({
    where: { id: row.id, performerId: row.performerId, status: "open" },
    data: { status: slotMachine.assert("open", "declined"), decidedAt: at },
  });
  if (declined.count === 0) throw new RequestClosedError("slot_not_open", "You already answered this request.");
  await declinePublication(
    tx,
    effects,
    { id: publication.id, platformId: publication.platform.id, externalId: publication.externalId },
    row.id,
    row.actor.platformPseudonym,
    at,
  );
}

/** pending → declined, with its audit event and `publication.declined` webhook. */
export async function declinePublication(
  tx: Tx,
  effects: Effects,
  publication: { id: string; platformId: string; externalId: string },
  slotId: string,
  performerPseudonym: string,
  at: Date,
): Promise<void> {
  await movePublication(tx, effects, publication.id, "pending", "declined");
  effects.write(auditLog, {
    type: "publication.declined",
    platformId: publication.platformId,
    publicationId: publication.id,
    performerPseudonym,
    data: { slotId },
  });
  await enqueueEvent(tx, effects, {
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

import type { PublicationStatus, SlotStatus } from "@vergewis/sdk";
import type { Tx } from "../db/client.ts";
import { ConflictError } from "../errors.ts";
import { defineStateMachine } from "../state-machine.ts";
import type { Effects } from "../db/transaction.ts";
import { publicationSignal } from "./signal.ts";

/** Design §3: pending → cleared → takedown_required → taken_down; pending → declined | expired; cleared → expired. */
export const publicationMachine = defineStateMachine<PublicationStatus>("publication", {
  pending: ["cleared", "declined", "expired"],
  cleared: ["takedown_required", "expired"],
  takedown_required: ["taken_down"],
  taken_down: [],
  declined: [],
  expired: [],
});

/**
 * Moves a publication from `from` to `to` inside `tx`. The update is conditional on the current
 * status, so two concurrent moves cannot both succeed; the transaction signals the change.
 * `fingerprints`, when the caller has them, spare a read.
 */
export async function movePublication(
  tx: Tx,
  effects: Effects,
  id: string,
  from: PublicationStatus,
  to: PublicationStatus,
  fingerprints?: ReadonlyArray<{ alg: string; value: string }>,
) {
  publicationMachine.assert(from, to);
  const { count } = await tx.publication.updateMany({ where: { id, status: from }, data: { status: to } });
  if (count !== 1) throw new ConflictError("concurrent_change", "The publication changed meanwhile; try again.");
  effects.signal(await publicationSignal(tx, [id], fingerprints));
}

/** A slot (one depicted person): open until that person consents or declines, or the invitation expires. */
export const slotMachine = defineStateMachine<SlotStatus>("slot", {
  open: ["consented", "declined", "expired"],
  consented: [],
  declined: [],
  expired: [],
});

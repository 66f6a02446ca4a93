import type { Takedown } from "@vergewis/sdk";
import { auditLog } from "../audit/append.ts";
import type { Tx } from "../db/client.ts";
import type { Effects } from "../db/transaction.ts";
import { ConflictError, NotFoundError } from "../errors.ts";
import { movePublication } from "../publication/state.ts";
import { getTakedown } from "./read.ts";
import { assertRemovedAt } from "./removed-at.ts";
import { takedownMachine } from "./state.ts";

export interface Acknowledgement {
  /** When the content stopped being available. */
  removedAt: Date;
  note?: string | undefined;
  /** The earliest removal time this acknowledgement may state: by default the takedown's request. */
  since?: { at: Date; what: string };
}

/**
 * The platform confirms removal: the takedown is acknowledged (which stops the SLA clock and the
 * overdue notices) and the publication becomes `taken_down`, in one transaction with its audit event.
 */
export async function acknowledgeTakedown(
  tx: Tx,
  effects: Effects,
  platformId: string,
  id: string,
  ack: Acknowledgement,
): Promise<Takedown> {
  const takedown = await tx.takedown.findFirst({
    where: { id, platformId },
    select: { acknowledgedAt: true, publicationId: true, requestedAt: true },
  });
  if (!takedown) throw new NotFoundError("takedown");
  assertRemovedAt(ack.removedAt, ack.since ?? { at: takedown.requestedAt, what: "the takedown was requested" });
  if (takedown.acknowledgedAt) {
    throw new ConflictError("already_acknowledged", "This takedown was already acknowledged.");
  }
  takedownMachine.assert("open", "acknowledged");
  const { count } = await tx.takedown.updateMany({
    where: { id, acknowledgedAt: null },
    data: { acknowledgedAt: new Date(), removedAt: ack.removedAt, note: ack.note ?? null, nextNoticeAt: null },
  });
  if (count !== 1) throw new ConflictError("concurrent_change", "The takedown changed meanwhile; try again.");
  await movePublication(tx, effects, takedown.publicationId, "takedown_required", "taken_down");
  effects.write(auditLog, {
    type: "takedown.acknowledged",
    platformId,
    publicationId: takedown.publicationId,
    data: { takedownId: id, removedAt: ack.removedAt.toISOString() },
  });
  return getTakedown(tx, platformId, id);
}

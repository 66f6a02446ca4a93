import type { Db } from "../../packages/server/src/db/client.ts";
import { movePublication } from "../../packages/server/src/publication/state.ts";
import { requestTakedown } from "../../packages/server/src/takedown/request.ts";
import type { PublicationStatus } from "@vergewis/sdk";
import { runTransaction } from "../../packages/server/src/db/transaction.ts";

/**
 * Moves a publication through the domain layer, for suites that test what happens *after* a
 * state (the check, takedowns) rather than how it was reached (consent signing has its own suites).
 */
export async function movePublicationTo(db: Db, id: string, path: PublicationStatus[]): Promise<void> {
  await runTransaction(db, async (tx, effects) => {
    const { status } = await tx.publication.findUniqueOrThrow({ where: { id }, select: { status: true } });
    let from = status;
    for (const to of path) {
      await movePublication(tx, effects, id, from, to);
      from = to;
    }
  });
}

/** Orders the takedown of a cleared publication as a revocation does: outbox, audit event and all. */
export async function revokePublication(db: Db, id: string): Promise<void> {
  await runTransaction(db, (tx, effects) => requestTakedown(tx, effects, { publicationId: id, reason: "revocation" }));
}

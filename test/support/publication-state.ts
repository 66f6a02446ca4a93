import { appendEvent } from "../../packages/server/src/audit/append.ts";
import { movePublication } from "../../packages/server/src/publication/state.ts";
import { requestTakedown } from "../../packages/server/src/takedown/request.ts";
import type { TestServer } from "./server.ts";

/**
 * Moves a pending publication to `cleared` through its state machine, with its audit event, as
 * the last consent does in production. Suites that test what platforms do with a cleared
 * publication (the gate, the example platform) use it; the consent flow has its own tests.
 */
export async function markCleared(server: TestServer, publicationId: string): Promise<void> {
  await server.ctx.db.$transaction(async (tx) => {
    const { platformId } = await tx.publication.findUniqueOrThrow({ where: { id: publicationId }, select: { platformId: true } });
    await movePublication(tx, publicationId, "pending", "cleared");
    await appendEvent(tx, { type: "publication.cleared", platformId, publicationId, data: {} });
  });
}

/** Orders the takedown of a cleared publication, as a revocation does (takedown/request.ts). */
export async function revoke(server: TestServer, publicationId: string): Promise<void> {
  await server.ctx.db.$transaction((tx) => requestTakedown(tx, { publicationId, reason: "revocation" }));
}

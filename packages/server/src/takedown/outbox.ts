import type { Tx } from "../db/client.ts";

/**
 * Transactional outbox: an event for a platform is written in the same transaction as the change
 * it announces, so it is sent if and only if the change committed. The delivery worker sends it.
 */
export async function enqueueEvent(
  tx: Tx,
  event: { platformId: string; type: string; payload: Record<string, unknown> },
): Promise<string> {
  const row = await tx.outboxMessage.create({
    data: { platformId: event.platformId, type: event.type, payload: event.payload as object },
    select: { id: true },
  });
  return row.id;
}

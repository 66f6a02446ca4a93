import { auditLog } from "../audit/append.ts";
import type { Tx } from "../db/client.ts";
import type { Effects } from "../db/transaction.ts";
import { ConflictError } from "../errors.ts";
import { movePublication } from "../publication/state.ts";
import { enqueueEvent } from "../webhook/outbox.ts";

export interface TakedownRequest {
  publicationId: string;
  reason: "revocation" | "report";
  consentId?: string;
  reportId?: string;
  /**
   * Send the platform a `takedown.requested` webhook (default). Off when the platform itself has
   * just reported the removal (an upheld report), which acknowledges the takedown at once.
   */
  notify?: boolean;
}

export interface RequestedTakedown {
  takedownId: string;
  dueAt: Date;
}

/**
 * Orders a platform to take a cleared publication down, inside the caller's transaction (the
 * revocation or the upheld report that causes it): publication `takedown_required`, a takedown
 * with its SLA deadline, an audit event and a `takedown.requested` webhook in the outbox. A
 * publication already being taken down keeps its open takedown.
 */
export async function requestTakedown(tx: Tx, effects: Effects, request: TakedownRequest): Promise<RequestedTakedown> {
  const publication = await tx.publication.findUniqueOrThrow({
    where: { id: request.publicationId },
    select: {
      id: true,
      externalId: true,
      status: true,
      platformId: true,
      platform: { select: { slaSeconds: true } },
      // Read with the publication rather than by the change signal (one round trip less).
      fingerprints: { select: { alg: true, value: true } },
    },
  });
  if (publication.status === "takedown_required") {
    const open = await tx.takedown.findFirst({
      where: { publicationId: publication.id, acknowledgedAt: null },
      orderBy: { id: "asc" },
    });
    if (open) return { takedownId: open.id, dueAt: open.dueAt };
  }
  if (publication.status !== "cleared" && publication.status !== "takedown_required") {
    throw new ConflictError(
      "not_published",
      `A ${publication.status} publication is not published: nothing to take down.`,
    );
  }
  if (publication.status === "cleared") {
    await movePublication(tx, effects, publication.id, "cleared", "takedown_required", publication.fingerprints);
  }
  const requestedAt = new Date();
  const dueAt = new Date(requestedAt.getTime() + publication.platform.slaSeconds * 1000);
  const takedown = await tx.takedown.create({
    data: {
      publicationId: publication.id,
      platformId: publication.platformId,
      reason: request.reason,
      consentId: request.consentId ?? null,
      reportId: request.reportId ?? null,
      requestedAt,
      dueAt,
      nextNoticeAt: dueAt,
    },
  });
  effects.write(auditLog, {
    type: "takedown.requested",
    platformId: publication.platformId,
    publicationId: publication.id,
    data: {
      takedownId: takedown.id,
      reason: request.reason,
      ...(request.consentId && { consentId: request.consentId }),
      ...(request.reportId && { reportId: request.reportId }),
      dueAt: dueAt.toISOString(),
    },
  });
  if (request.notify === false) return { takedownId: takedown.id, dueAt };
  await enqueueEvent(tx, effects, {
    platformId: publication.platformId,
    type: "takedown.requested",
    payload: {
      takedownId: takedown.id,
      publicationId: publication.id,
      externalId: publication.externalId,
      reason: request.reason,
      ...(request.consentId && { consentId: request.consentId }),
      ...(request.reportId && { reportId: request.reportId }),
      requestedAt: requestedAt.toISOString(),
      dueAt: dueAt.toISOString(),
    },
  });
  return { takedownId: takedown.id, dueAt };
}

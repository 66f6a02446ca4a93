import { auditLog } from "../audit/append.ts";
import { recordPairwise } from "../identity/pairwise.ts";
import type { ServerContext } from "../context.ts";
import { hashInvitation } from "../publication/invitation.ts";
import { InvitationInvalidError, InvitationTakenError, RequestClosedError } from "./errors.ts";
import { loadRequest } from "./request.ts";
import { runTransaction } from "../db/transaction.ts";

interface Claimable {
  status: string;
  expiresAt: Date;
  performerId: string | null;
  publication: { status: string };
}

/** The slot can be taken (or is held) by `performerId`: open, of a pending publication, not expired. */
export const claimable = (slot: Claimable, performerId: string | null, now = new Date()) =>
  slot.status === "open" &&
  slot.publication.status === "pending" &&
  slot.expiresAt > now &&
  (slot.performerId === null || slot.performerId === performerId);

/**
 * The open slot an invitation code stands for. Unknown, malformed, expired, answered, or already
 * taken by someone else: all give the same InvitationInvalidError, so that nothing can be learnt
 * about codes or accounts by trying.
 */
export async function openInvitation(
  ctx: Pick<ServerContext, "db" | "secret">,
  code: string,
  performerId: string | null,
): Promise<string> {
  const hash = hashInvitation(ctx.secret, code);
  const slot =
    hash &&
    (await ctx.db.slot.findUnique({
      where: { codeHash: hash },
      select: { id: true, status: true, expiresAt: true, performerId: true, publication: { select: { status: true } } },
    }));
  if (!slot || !claimable(slot, performerId)) throw new InvitationInvalidError();
  return slot.id;
}

/**
 * Binds an invitation's slot to the performer ("holds the slot's invitation"): from now on only
 * they can answer it. A person takes one slot per publication. Of two people who claim a slot at
 * once exactly one gets it; the other, who opened it while it was free, gets InvitationTakenError.
 */
export async function claimInvitation(
  ctx: Pick<ServerContext, "db" | "secret">,
  performerId: string,
  slotId: string,
): Promise<void> {
  await runTransaction(ctx.db, async (tx, effects) => {
    const row = await loadRequest(tx, slotId, performerId, { lock: true });
    // Open, of a pending publication and not expired, whoever holds it.
    if (!row || !claimable(row, row.performerId)) throw new InvitationInvalidError();
    if (row.performerId === performerId) return;
    // They opened it while it was free (openInvitation, or the link in their session).
    if (row.performerId !== null) throw new InvitationTakenError();
    // On PostgreSQL loadRequest re-reads only the publication once its lock is granted, so the
    // slot's holder read there may be stale: the claim itself is conditional on nobody holding it.
    // Taken unless they hold another slot of this publication (whose row loadRequest locked).
    const claimed = await tx.$executeRaw`
      UPDATE "Slot" s SET "performerId" = ${performerId}::uuid
      WHERE s.id = ${slotId}::uuid AND s."performerId" IS NULL AND NOT EXISTS (
        SELECT 1 FROM "Slot" o
        WHERE o."publicationId" = s."publicationId" AND o."performerId" = ${performerId}::uuid AND o.id <> s.id)`;
    if (claimed === 0) {
      // A statement of its own sees what the claim that came first committed.
      const now = await tx.slot.findUniqueOrThrow({ where: { id: slotId }, select: { performerId: true } });
      if (now.performerId === performerId) return; // their own claim in another request, logged there
      if (now.performerId !== null) throw new InvitationTakenError();
      throw new RequestClosedError(
        "already_in_publication",
        "You already hold another invitation for this publication.",
      );
    }
    const pseudonym = await recordPairwise(tx, ctx.secret, performerId, row.publication.platform.id);
    effects.write(auditLog, {
      type: "invitation.accepted",
      platformId: row.publication.platform.id,
      publicationId: row.publication.id,
      performerPseudonym: pseudonym,
      data: { slotId },
    });
  });
}

import { auditLog } from "../audit/append.ts";
import type { Db } from "../db/client.ts";
import { runTransaction } from "../db/transaction.ts";
import { movePublication, slotMachine } from "./state.ts";

interface Due {
  id: string;
  platformId: string;
  status: "pending" | "cleared";
}

/**
 * Ends publications whose time is up (docs/architecture.md §4): a pending one with an invitation that expired
 * unanswered can never clear (`pending → expired`), and a cleared one past its scope's end may no
 * longer be shown (`cleared → expired`, its consents expire with it). Claims a batch with
 * FOR UPDATE SKIP LOCKED, so several instances can sweep at once. Returns how many it ended.
 */
export async function expireDuePublications(db: Db, now = new Date(), batch = 100): Promise<number> {
  return runTransaction(db, async (tx, effects) => {
    const due = await tx.$queryRaw<Due[]>`
      SELECT p.id, p."platformId", p.status::text AS status FROM "Publication" p
      WHERE (p.status = 'pending' AND EXISTS (
               SELECT 1 FROM "Slot" s WHERE s."publicationId" = p.id AND s.status = 'open' AND s."expiresAt" <= ${now}))
         OR (p.status = 'cleared' AND p."validUntil" <= ${now})
      ORDER BY p.id
      LIMIT ${batch}
      FOR UPDATE SKIP LOCKED`;
    for (const publication of due) {
      if (publication.status === "pending") {
        slotMachine.assert("open", "expired");
        await tx.slot.updateMany({
          where: { publicationId: publication.id, status: "open" },
          data: { status: "expired" },
        });
      } else {
        await tx.consent.updateMany({
          where: { publicationId: publication.id, status: "active" },
          data: { status: "expired" },
        });
      }
      await movePublication(tx, effects, publication.id, publication.status, "expired");
      effects.write(auditLog, {
        type: "publication.expired",
        platformId: publication.platformId,
        publicationId: publication.id,
        data: { reason: publication.status === "pending" ? "invitations_expired" : "scope_ended" },
      });
    }
    return due.length;
  });
}

import { auditLog } from "../audit/append.ts";
import type { Db } from "../db/client.ts";
import { runTransaction } from "../db/transaction.ts";
import type { ClaimedMail } from "./claim.ts";

export type MailOutcome =
  | { kind: "sent" }
  | { kind: "retry"; at: Date; error: string }
  | { kind: "failed"; reason: "rejected" | "retries_exhausted" | "slot_closed"; error: string };

/**
 * Records what became of an attempt, with its audit entry, and deletes the sealed code once the
 * mail is sent or has failed. Fenced on the claim's attempt count and status: when a reissue
 * replaced the mail, or another worker took it over after the lease, nothing changes (false).
 */
export async function recordMailOutcome(db: Db, mail: ClaimedMail, outcome: MailOutcome): Promise<boolean> {
  return runTransaction(db, async (tx, effects) => {
    const fence = { id: mail.id, attempts: mail.attempts, status: { in: ["pending" as const, "retrying" as const] } };
    if (outcome.kind === "retry") {
      const { count } = await tx.invitationMail.updateMany({
        where: fence,
        data: { status: "retrying", nextAttemptAt: outcome.at, lastError: outcome.error },
      });
      return count === 1;
    }
    const sent = outcome.kind === "sent";
    const { count } = await tx.invitationMail.updateMany({
      where: fence,
      data: {
        status: sent ? "sent" : "failed",
        sealed: null,
        nextAttemptAt: null,
        lastError: sent ? null : outcome.error,
        ...(sent && { sentAt: new Date() }),
      },
    });
    if (count === 0) return false;
    const data = { slotId: mail.slotId, mailId: mail.id, attempts: mail.attempts };
    effects.write(
      auditLog,
      sent
        ? { type: "invitation.mail_sent", platformId: mail.platformId, publicationId: mail.publicationId, data }
        : {
            type: "invitation.mail_failed",
            platformId: mail.platformId,
            publicationId: mail.publicationId,
            data: { ...data, reason: outcome.reason },
          },
    );
    return true;
  });
}

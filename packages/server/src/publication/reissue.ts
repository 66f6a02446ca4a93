import type { MailLanguage, ReissuedInvitation } from "@vergewis/sdk";
import { auditLog } from "../audit/append.ts";
import type { Tx } from "../db/client.ts";
import type { Effects } from "../db/transaction.ts";
import { ConflictError, NotFoundError } from "../errors.ts";
import { dropWaitingMails, queueInvitationMails } from "../mail/outbox.ts";
import { invitationUrl, newInvitation } from "./invitation.ts";

export interface ReissueContext {
  serverSecret: Buffer;
  publicUrl: string;
  /** The mail's language when the slot's earlier mail named none (an uploader's slot). */
  mailLanguage: MailLanguage;
}

/**
 * A new invitation for an open slot of one of the platform's pending publications, for a mail
 * that never arrived: a new code replaces the old one (which stops working at once), waiting
 * mails with the old code are dropped, and a co-performer gets a new mail in the language of the
 * first. The slot row is locked, so that a performer taking the old code meanwhile either wins
 * (and the reissue is refused) or finds it dead.
 */
export async function reissueInvitation(
  tx: Tx,
  effects: Effects,
  ctx: ReissueContext,
  platformId: string,
  publicationId: string,
  slotId: string,
): Promise<ReissuedInvitation> {
  const [slot] = await tx.$queryRaw<
    Array<{ position: number; role: string; status: string; expiresAt: Date; publicationStatus: string }>
  >`
    SELECT s.position, s.role, s.status::text AS status, s."expiresAt", p.status::text AS "publicationStatus"
    FROM "Slot" s JOIN "Publication" p ON p.id = s."publicationId"
    WHERE s.id = ${slotId}::uuid AND p.id = ${publicationId}::uuid AND p."platformId" = ${platformId}::uuid
    FOR UPDATE OF s`;
  if (!slot) throw new NotFoundError("slot");
  if (slot.publicationStatus !== "pending") {
    throw new ConflictError("publication_not_pending", `The publication is ${slot.publicationStatus}.`);
  }
  if (slot.status !== "open") {
    throw new ConflictError("slot_not_open", `This slot was already answered (${slot.status}).`);
  }
  const invitation = newInvitation(ctx.serverSecret);
  await tx.slot.update({ where: { id: slotId }, data: { codeHash: invitation.hash } });
  const mailed = slot.role === "co-performer";
  if (mailed) {
    const earlier = await tx.invitationMail.findFirst({
      where: { slotId },
      orderBy: { id: "asc" },
      select: { language: true },
    });
    await dropWaitingMails(tx, slotId);
    await queueInvitationMails(tx, effects, ctx.serverSecret, [
      {
        slotId,
        platformId,
        language: (earlier?.language as MailLanguage | undefined) ?? ctx.mailLanguage,
        code: invitation.code,
      },
    ]);
  }
  effects.write(auditLog, { type: "invitation.reissued", platformId, publicationId, data: { slotId, mailed } });
  const expiresAt = slot.expiresAt.toISOString();
  return {
    slot: {
      id: slotId,
      position: slot.position,
      role: slot.role as "uploader" | "co-performer",
      status: "open",
      expiresAt,
    },
    mailed,
    invitation: mailed
      ? null
      : {
          slotId,
          position: slot.position,
          url: invitationUrl(ctx.publicUrl, invitation.code),
          code: invitation.code,
          expiresAt,
        },
  };
}

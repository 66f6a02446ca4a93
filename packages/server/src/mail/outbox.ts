import type { MailLanguage } from "@vergewis/sdk";
import type { Tx } from "../db/client.ts";
import type { Effects } from "../db/transaction.ts";
import { uuidv7 } from "../db/uuid.ts";
import { sealMailSecret } from "./seal.ts";
import { mailSignal } from "./signal.ts";

export interface QueuedMail {
  slotId: string;
  platformId: string;
  language: MailLanguage;
  code: string;
}

/**
 * Queues invitation mails in the transaction that made their codes (a transactional outbox): a
 * mail exists if and only if its slot committed, and a crash between commit and sending leaves it
 * for the next worker. The code is sealed (seal.ts); the mail worker sends, then empties the row.
 */
export async function queueInvitationMails(
  tx: Tx,
  effects: Effects,
  serverSecret: Buffer,
  mails: QueuedMail[],
): Promise<void> {
  if (mails.length === 0) return;
  const ids = mails.map(() => uuidv7());
  const sealed = await Promise.all(
    mails.map((m, i) => sealMailSecret(serverSecret, { mailId: ids[i]!, code: m.code })),
  );
  await tx.$executeRaw`
    INSERT INTO "InvitationMail" ("id", "slotId", "platformId", "language", "sealed")
    SELECT * FROM unnest(${ids}::uuid[], ${mails.map((m) => m.slotId)}::uuid[],
      ${mails.map((m) => m.platformId)}::uuid[], ${mails.map((m) => m.language)}::text[], ${sealed}::text[])`;
  effects.signal(mailSignal);
}

/** A reissue made the slot's earlier codes dead: their waiting mails are dropped with their sealed codes. */
export async function dropWaitingMails(tx: Tx, slotId: string): Promise<void> {
  await tx.$executeRaw`
    UPDATE "InvitationMail" SET "status" = 'failed', "sealed" = NULL, "nextAttemptAt" = NULL,
      "lastError" = 'replaced by a reissued invitation'
    WHERE "slotId" = ${slotId}::uuid AND "status" IN ('pending', 'retrying')`;
}

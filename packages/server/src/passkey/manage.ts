import { auditLog } from "../audit/append.ts";
import type { Db } from "../db/client.ts";
import { runTransaction } from "../db/transaction.ts";
import { NotFoundError } from "../errors.ts";
import { LastPasskeyError } from "./errors.ts";
import type { PasskeyView } from "./schemas.ts";

export const toView = (p: {
  id: string;
  createdAt: Date;
  lastUsedAt: Date | null;
  deviceType: string;
  backedUp: boolean;
  transports: string[];
}): PasskeyView => ({
  id: p.id,
  createdAt: p.createdAt.toISOString(),
  lastUsedAt: p.lastUsedAt?.toISOString() ?? null,
  deviceType: p.deviceType as PasskeyView["deviceType"],
  backedUp: p.backedUp,
  transports: p.transports,
});

export async function listPasskeys(db: Db, performerId: string): Promise<PasskeyView[]> {
  const rows = await db.passkey.findMany({ where: { performerId }, orderBy: { id: "asc" } });
  return rows.map(toView);
}

/**
 * Removes a passkey; the last one cannot go (the performer could no longer sign or revoke).
 * The performer row is locked, so that two removals at once cannot both pass the check.
 */
export async function removePasskey(db: Db, performerId: string, passkeyId: string): Promise<void> {
  await runTransaction(db, async (tx, effects) => {
    const [performer] = await tx.$queryRaw<Array<{ pseudonym: string }>>`
      SELECT "pseudonym" FROM "Performer" WHERE "id" = ${performerId}::uuid FOR UPDATE`;
    const passkeys = await tx.passkey.findMany({ where: { performerId }, select: { id: true } });
    if (!performer || !passkeys.some((p) => p.id === passkeyId)) throw new NotFoundError("passkey");
    if (passkeys.length === 1) throw new LastPasskeyError();
    await tx.passkey.delete({ where: { id: passkeyId } });
    effects.write(auditLog, { type: "passkey.removed", performerPseudonym: performer.pseudonym, data: { passkeyId } });
  });
}

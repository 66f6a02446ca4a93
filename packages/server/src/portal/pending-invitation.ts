import type { SlotRole } from "@vergewis/sdk";
import type { Db } from "../db/client.ts";
import { claimable } from "../consent/invitation.ts";

export interface PendingInvitation {
  slotId: string;
  role: SlotRole;
  platform: string;
  title: string;
  expiresAt: string;
  /** The performer took this request already. */
  held: boolean;
}

/**
 * The invitation opened by link or code in this browser, while it can still be taken by this
 * person (or anyone, before login); undefined once it cannot, whatever the reason.
 */
export async function pendingInvitation(
  db: Db,
  slotId: string,
  performerId: string | null,
): Promise<PendingInvitation | undefined> {
  const slot = await db.slot.findUnique({
    where: { id: slotId },
    select: {
      role: true,
      status: true,
      expiresAt: true,
      performerId: true,
      publication: { select: { status: true, title: true, platform: { select: { name: true } } } },
    },
  });
  if (!slot || !claimable(slot, performerId)) return undefined;
  return {
    slotId,
    role: slot.role as SlotRole,
    platform: slot.publication.platform.name,
    title: slot.publication.title,
    expiresAt: slot.expiresAt.toISOString(),
    held: performerId !== null && slot.performerId === performerId,
  };
}

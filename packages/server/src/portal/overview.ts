import type { PublicationStatus, Scope, SlotRole } from "@vergewis/sdk";
import type { Db } from "../db/client.ts";
import { takedownProgress, type TakedownProgress } from "../takedown/progress.ts";

/**
 * Where a request or consent stands, for its performer:
 * - `pending`: waiting for their answer;
 * - `active`: consented, in force;
 * - `revoked`: withdrawn by them (final);
 * - `expired`: the invitation ran out unanswered, or the consented scope ended;
 * - `declined`: they said no;
 * - `closed`: never answered, and no answer is possible any more (another person declined).
 */
export type OverviewStatus = "pending" | "active" | "revoked" | "expired" | "declined" | "closed";

export interface OverviewItem {
  slotId: string;
  consentId: string | null;
  status: OverviewStatus;
  role: SlotRole;
  publication: { id: string; title: string; status: PublicationStatus; scope: Scope };
  /** When the invitation runs out (pending requests). */
  answerBy: string;
  /** When the performer consented or declined. */
  decidedAt: string | null;
  /** Consents: when they were signed, and withdrawn. */
  signedAt: string | null;
  revokedAt: string | null;
  /** Revoked consents only. */
  takedown: TakedownProgress | null;
}

export interface OverviewGroup {
  platform: { id: string; name: string; slaSeconds: number };
  items: OverviewItem[];
}

export interface Overview {
  /** One group per platform, by name; items newest first. */
  groups: OverviewGroup[];
  counts: Record<OverviewStatus, number>;
}

/** Every request addressed to the performer and every consent they gave, grouped by platform. */
export async function overview(db: Db, performerId: string, now = new Date()): Promise<Overview> {
  const slots = await db.slot.findMany({
    where: { performerId },
    orderBy: { id: "desc" },
    select: {
      id: true,
      role: true,
      status: true,
      expiresAt: true,
      decidedAt: true,
      consent: { select: { id: true, status: true, validUntil: true, createdAt: true, revokedAt: true } },
      publication: {
        select: {
          id: true,
          title: true,
          status: true,
          purposes: true,
          territories: true,
          validUntil: true,
          platform: { select: { id: true, name: true, slaSeconds: true } },
        },
      },
    },
  });
  const revoked = slots.flatMap((s) =>
    s.consent?.status === "revoked" && s.consent.revokedAt
      ? [
          {
            id: s.consent.id,
            publicationId: s.publication.id,
            revokedAt: s.consent.revokedAt,
            publicationStatus: s.publication.status,
          },
        ]
      : [],
  );
  const progress = await takedownProgress(db, revoked, now);

  const groups = new Map<string, OverviewGroup>();
  const counts: Record<OverviewStatus, number> = {
    pending: 0,
    active: 0,
    revoked: 0,
    expired: 0,
    declined: 0,
    closed: 0,
  };
  for (const s of slots) {
    const p = s.publication;
    const status = statusOf(s, p.status, now);
    counts[status]++;
    const group = groups.get(p.platform.id) ?? { platform: p.platform, items: [] };
    groups.set(p.platform.id, group);
    group.items.push({
      slotId: s.id,
      consentId: s.consent?.id ?? null,
      status,
      role: s.role as SlotRole,
      publication: {
        id: p.id,
        title: p.title,
        status: p.status,
        scope: {
          purposes: [...p.purposes].sort() as Scope["purposes"],
          territories: [...p.territories].sort(),
          validUntil: p.validUntil.toISOString(),
        },
      },
      answerBy: s.expiresAt.toISOString(),
      decidedAt: s.decidedAt?.toISOString() ?? null,
      signedAt: s.consent?.createdAt.toISOString() ?? null,
      revokedAt: s.consent?.revokedAt?.toISOString() ?? null,
      takedown: s.consent ? (progress.get(s.consent.id) ?? null) : null,
    });
  }
  return {
    groups: [...groups.values()].sort((a, b) => a.platform.name.localeCompare(b.platform.name)),
    counts,
  };
}

function statusOf(
  slot: {
    status: string;
    expiresAt: Date;
    consent: { status: string; validUntil: Date } | null;
  },
  publication: PublicationStatus,
  now: Date,
): OverviewStatus {
  if (slot.consent) {
    if (slot.consent.status === "revoked") return "revoked";
    if (slot.consent.status === "expired" || slot.consent.validUntil <= now) return "expired";
    return "active";
  }
  if (slot.status === "declined") return "declined";
  if (slot.status === "expired" || slot.expiresAt <= now) return "expired";
  return publication === "pending" ? "pending" : "closed";
}

import type { PublicationStatus } from "@vergewis/sdk";
import type { Db } from "../db/client.ts";
import { takedownStatus } from "./resource.ts";

/**
 * What became of a revoked consent's content, as its performer sees it:
 * - `requested`: the platform was told to take it down and has not confirmed yet (`overdue` once
 *   its deadline passed: auditors see that too);
 * - `removed`: the platform confirmed removal;
 * - `not_published`: revoked before every depicted person had consented, so it was never
 *   published and the request is closed;
 * - `already_offline`: it had been taken down, or its scope had ended, before the revocation.
 */
export type TakedownProgress =
  | { state: "requested"; takedownId: string; requestedAt: string; dueAt: string; overdue: boolean }
  | {
      state: "removed";
      takedownId: string;
      requestedAt: string;
      dueAt: string;
      removedAt: string;
      acknowledgedAt: string;
      onTime: boolean;
    }
  | { state: "not_published" }
  | { state: "already_offline" };

export interface RevokedConsentRef {
  id: string;
  publicationId: string;
  revokedAt: Date;
  publicationStatus: PublicationStatus;
}

interface TakedownRow {
  id: string;
  publicationId: string;
  consentId: string | null;
  requestedAt: Date;
  dueAt: Date;
  acknowledgedAt: Date | null;
  removedAt: Date | null;
}

/**
 * The takedown behind each revoked consent, by consent id, in one query. A revocation either
 * started a takedown (it names the consent) or joined the one already open for its publication
 * (requested before the revocation and not yet acknowledged then).
 */
export async function takedownProgress(
  db: Db,
  consents: RevokedConsentRef[],
  now = new Date(),
): Promise<Map<string, TakedownProgress>> {
  const out = new Map<string, TakedownProgress>();
  if (consents.length === 0) return out;
  const rows: TakedownRow[] = await db.takedown.findMany({
    where: { publicationId: { in: [...new Set(consents.map((c) => c.publicationId))] } },
    select: {
      id: true,
      publicationId: true,
      consentId: true,
      requestedAt: true,
      dueAt: true,
      acknowledgedAt: true,
      removedAt: true,
    },
    orderBy: { id: "asc" },
  });
  for (const consent of consents) {
    const own = rows.find((t) => t.consentId === consent.id);
    const joined = rows.find(
      (t) =>
        t.publicationId === consent.publicationId &&
        t.requestedAt <= consent.revokedAt &&
        (t.acknowledgedAt === null || t.acknowledgedAt >= consent.revokedAt),
    );
    const takedown = own ?? joined;
    out.set(consent.id, takedown ? progressOf(takedown, now) : withoutTakedown(consent.publicationStatus));
  }
  return out;
}

function progressOf(t: TakedownRow, now: Date): TakedownProgress {
  const base = { takedownId: t.id, requestedAt: t.requestedAt.toISOString(), dueAt: t.dueAt.toISOString() };
  if (t.acknowledgedAt === null) return { state: "requested", ...base, overdue: takedownStatus(t, now) === "overdue" };
  const removedAt = t.removedAt ?? t.acknowledgedAt;
  return {
    state: "removed",
    ...base,
    removedAt: removedAt.toISOString(),
    acknowledgedAt: t.acknowledgedAt.toISOString(),
    onTime: removedAt <= t.dueAt,
  };
}

/** No takedown: the publication never went out (pending, then declined) or was already gone. */
const withoutTakedown = (status: PublicationStatus): TakedownProgress =>
  status === "pending" || status === "declined" ? { state: "not_published" } : { state: "already_offline" };

import type { Fingerprint, Publication, Slot } from "@vergewis/sdk";
import { Prisma } from "../db/generated/client.ts";
import { calendarDate } from "../db/calendar-date.ts";

/** What every publication read loads, so that `toResource` has all it needs. */
export const publicationInclude = {
  fingerprints: { select: { alg: true, value: true }, orderBy: { id: "asc" } },
  slots: {
    select: { id: true, position: true, role: true, status: true, expiresAt: true },
    orderBy: { position: "asc" },
  },
} satisfies Prisma.PublicationInclude;

export type PublicationRow = Prisma.PublicationGetPayload<{ include: typeof publicationInclude }>;

/** The API representation (the SDK's `publicationSchema`). */
export function toResource(row: PublicationRow): Publication {
  return {
    id: row.id,
    externalId: row.externalId,
    title: row.title,
    previewUrl: row.previewUrl,
    status: row.status,
    contentFingerprints: row.fingerprints.map((f) => ({ alg: f.alg as Fingerprint["alg"], value: f.value })),
    scope: {
      purposes: row.purposes as Publication["scope"]["purposes"],
      territories: row.territories,
      validUntil: row.validUntil.toISOString(),
    },
    producedAt: row.producedAt && calendarDate(row.producedAt),
    slots: row.slots.map((s) => ({
      id: s.id,
      position: s.position,
      role: s.role as Slot["role"],
      status: s.status,
      expiresAt: s.expiresAt.toISOString(),
    })),
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

import type { Fingerprint } from "@vergewis/sdk";
import type { Tx } from "../db/client.ts";
import { externalIdFromUrl } from "./content-url.ts";

export interface Match {
  publicationId: string;
  platformId: string;
  externalId: string;
  slaSeconds: number;
  matchedBy: "fingerprint" | "url";
}

/** Publications a notice can concern: requested or published, not yet removed. */
const REPORTABLE = ["pending", "cleared", "takedown_required"] as const;

const publicationSelect = {
  id: true,
  platformId: true,
  externalId: true,
  platform: { select: { slaSeconds: true } },
} as const;

/**
 * The publications, on every platform, that a notice names: by content fingerprint (exact; the
 * perceptual `pdq` is matched exactly too until near-duplicate search lands), or by URL, through
 * each platform's content URL template or the publication's preview URL.
 */
export async function matchPublications(tx: Tx, notice: { fingerprint?: Fingerprint; url?: string }): Promise<Match[]> {
  const found = new Map<string, Match>();
  const add = (
    rows: Array<{ id: string; platformId: string; externalId: string; platform: { slaSeconds: number } }>,
    matchedBy: Match["matchedBy"],
  ) => {
    for (const row of rows) {
      if (found.has(row.id)) continue;
      found.set(row.id, {
        publicationId: row.id,
        platformId: row.platformId,
        externalId: row.externalId,
        slaSeconds: row.platform.slaSeconds,
        matchedBy,
      });
    }
  };
  if (notice.fingerprint) {
    const { alg, value } = notice.fingerprint;
    add(
      await tx.publication.findMany({
        where: { status: { in: [...REPORTABLE] }, fingerprints: { some: { alg, value } } },
        select: publicationSelect,
        orderBy: { id: "asc" },
      }),
      "fingerprint",
    );
  }
  if (notice.url) {
    const platforms = await tx.platform.findMany({
      where: { contentUrlTemplate: { not: null } },
      select: { id: true, contentUrlTemplate: true },
    });
    const byTemplate = platforms.flatMap((p) => {
      const externalId = externalIdFromUrl(p.contentUrlTemplate!, notice.url!);
      return externalId === undefined ? [] : [{ platformId: p.id, externalId }];
    });
    add(
      await tx.publication.findMany({
        where: {
          status: { in: [...REPORTABLE] },
          OR: [{ previewUrl: notice.url }, ...byTemplate],
        },
        select: publicationSelect,
        orderBy: { id: "asc" },
      }),
      "url",
    );
  }
  return [...found.values()];
}

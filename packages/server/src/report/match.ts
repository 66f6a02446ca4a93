import type { Fingerprint } from "@vergewis/sdk";
import type { Config } from "../config/schema.ts";
import type { Db, Tx } from "../db/client.ts";
import type { PerceptualHashes } from "../near-duplicate/input.ts";
import { findNearDuplicates } from "../near-duplicate/search.ts";
import { externalIdFromUrl } from "./content-url.ts";

export interface Match {
  publicationId: string;
  platformId: string;
  externalId: string;
  slaSeconds: number;
  matchedBy: "fingerprint" | "url";
  /** For `fingerprint`: the algorithm that matched and the Hamming distance (0: the same hash). */
  algorithm: "sha-256" | "pdq" | "vpdq" | null;
  distance: number | null;
}

/** What a notice (or a withdrawal everywhere) names the content by. */
export interface ContentQuery {
  /** Matched exactly: the same algorithm and value. */
  fingerprints?: readonly Fingerprint[];
  /** Matched as near duplicates through the index (PDQ, or a video's vPDQ frames). */
  perceptual?: readonly PerceptualHashes[];
  url?: string;
}

/** Publications a notice can concern: requested or published, not yet removed. */
const REPORTABLE = ["pending", "cleared", "takedown_required"] as const;

const publicationSelect = {
  id: true,
  platformId: true,
  externalId: true,
  platform: { select: { slaSeconds: true } },
} as const;

type Row = { id: string; platformId: string; externalId: string; platform: { slaSeconds: number } };

/**
 * The publications, on every platform of the instance, that a notice names: by content
 * fingerprint, exactly, and by perceptual hash as near duplicates (PDQ within the configured
 * threshold and above the quality floor; vPDQ by the reference's rule, `matchVpdq`), or by URL,
 * through each platform's content URL template or the publication's preview URL. A publication
 * found more than one way keeps its nearest match, an exact one first.
 */
export async function matchPublications(
  tx: Db | Tx,
  search: Config["nearDuplicates"],
  query: ContentQuery,
): Promise<Match[]> {
  const found = new Map<string, Match>();
  const add = (rows: Row[], how: Pick<Match, "matchedBy" | "algorithm" | "distance">) => {
    for (const row of rows) {
      const known = found.get(row.id);
      if (known && (known.distance ?? 0) <= (how.distance ?? 0)) continue;
      found.set(row.id, {
        publicationId: row.id,
        platformId: row.platformId,
        externalId: row.externalId,
        slaSeconds: row.platform.slaSeconds,
        ...how,
      });
    }
  };
  const reportable = (where: object) =>
    tx.publication.findMany({
      where: { status: { in: [...REPORTABLE] }, ...where },
      select: publicationSelect,
      orderBy: { id: "asc" },
    });

  for (const { alg, value } of query.fingerprints ?? []) {
    add(await reportable({ fingerprints: { some: { alg, value } } }), {
      matchedBy: "fingerprint",
      algorithm: alg,
      distance: 0,
    });
  }
  for (const hashes of query.perceptual ?? []) {
    const near = await findNearDuplicates(tx, hashes, search);
    // Nearest first: each publication keeps its nearest file's distance.
    const rows = await reportable({ id: { in: [...new Set(near.map((m) => m.publicationId))] } });
    const byId = new Map(rows.map((r) => [r.id, r]));
    for (const m of near) {
      const row = byId.get(m.publicationId);
      if (row) add([row], { matchedBy: "fingerprint", algorithm: m.alg, distance: m.distance });
    }
  }
  if (query.url) {
    const url = query.url;
    const platforms = await tx.platform.findMany({
      where: { contentUrlTemplate: { not: null } },
      select: { id: true, contentUrlTemplate: true },
    });
    const byTemplate = platforms.flatMap((p) => {
      const externalId = externalIdFromUrl(p.contentUrlTemplate!, url);
      return externalId === undefined ? [] : [{ platformId: p.id, externalId }];
    });
    const rows = await reportable({ OR: [{ previewUrl: url }, ...byTemplate] });
    add(
      rows.filter((r) => !found.has(r.id)),
      { matchedBy: "url", algorithm: null, distance: null },
    );
  }
  return [...found.values()].sort((a, b) => a.publicationId.localeCompare(b.publicationId));
}

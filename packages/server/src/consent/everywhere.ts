import type { Fingerprint, VpdqFrame } from "@vergewis/sdk";
import type { Config } from "../config/schema.ts";
import type { Db, Tx } from "../db/client.ts";
import { hexOf } from "../near-duplicate/hash.ts";
import type { PerceptualHashes } from "../near-duplicate/input.ts";
import { matchPublications, type Match } from "../report/match.ts";

/** What "withdraw everywhere" reaches beyond the consent withdrawn. */
export interface EverywhereMatches {
  /** The performer's other active consents whose content matches: withdrawn with it. */
  revokes: Array<{ consentId: string; documentHash: string; match: Match }>;
  /** Matching publications the performer never consented to: reported by them as a depicted person. */
  reports: Match[];
}

/**
 * The content of a publication as the index knows it: its fingerprints (matched exactly) and its
 * perceptual hashes (PDQ, vPDQ frames; matched as near duplicates).
 */
async function contentOf(db: Db | Tx, publicationId: string) {
  const fingerprints = await db.contentFingerprint.findMany({
    where: { publicationId },
    select: { id: true, alg: true, value: true },
    orderBy: { id: "asc" },
  });
  const rows = await db.$queryRaw<
    Array<{
      fingerprintId: string;
      alg: "pdq" | "vpdq";
      h0: string;
      h1: string;
      h2: string;
      h3: string;
      quality: number;
      frameTime: number | null;
    }>
  >`SELECT "fingerprintId"::text, "alg"::text AS alg, "h0"::text, "h1"::text, "h2"::text, "h3"::text,
      "quality"::int, "frameTime"
    FROM "PerceptualHash" WHERE "fingerprintId" = ANY(${fingerprints.map((f) => f.id)}::uuid[])
    ORDER BY "fingerprintId", "frameTime"`;
  const perceptual: PerceptualHashes[] = [];
  const videos = new Map<string, VpdqFrame[]>();
  for (const r of rows) {
    const value = hexOf([r.h0, r.h1, r.h2, r.h3]);
    if (r.alg === "pdq") perceptual.push({ alg: "pdq", value, quality: r.quality });
    else
      videos.set(r.fingerprintId, [
        ...(videos.get(r.fingerprintId) ?? []),
        { t: r.frameTime!, value, quality: r.quality },
      ]);
  }
  for (const frames of videos.values()) perceptual.push({ alg: "vpdq", frames });
  return { fingerprints: fingerprints.map(({ alg, value }) => ({ alg, value }) as Fingerprint), perceptual };
}

/**
 * The publications on every platform of the instance whose content matches that of the consent's
 * publication, exactly or as near duplicates, split by what the performer has there: an active
 * consent (to withdraw), none at all (to report), or one already ended (nothing more to do).
 */
export async function everywhereMatches(
  db: Db | Tx,
  search: Config["nearDuplicates"],
  args: { performerId: string; publicationId: string },
): Promise<EverywhereMatches> {
  const content = await contentOf(db, args.publicationId);
  const matches = (await matchPublications(db, search, content)).filter((m) => m.publicationId !== args.publicationId);
  const theirs = await db.consent.findMany({
    where: { performerId: args.performerId, publicationId: { in: matches.map((m) => m.publicationId) } },
    select: { id: true, status: true, documentHash: true, publicationId: true },
    orderBy: { id: "asc" },
  });
  const result: EverywhereMatches = { revokes: [], reports: [] };
  for (const match of matches) {
    const own = theirs.filter((c) => c.publicationId === match.publicationId);
    if (own.length === 0) result.reports.push(match);
    for (const c of own.filter((c) => c.status === "active")) {
      result.revokes.push({ consentId: c.id, documentHash: c.documentHash, match });
    }
  }
  return result;
}

/** The fingerprint a depicted person's report keeps: the withdrawn content's first one. */
export async function firstFingerprint(db: Db | Tx, publicationId: string): Promise<Fingerprint> {
  const f = await db.contentFingerprint.findFirstOrThrow({
    where: { publicationId },
    select: { alg: true, value: true },
    orderBy: { id: "asc" },
  });
  return f as Fingerprint;
}

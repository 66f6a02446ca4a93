import { consentDocumentSchema, type ConsentDocument, type PublicationStatus } from "@vergewis/sdk";
import type { Db } from "../db/client.ts";
import { NotFoundError } from "../errors.ts";
import { toConsentRecord, type ConsentRecord } from "../consent/read.ts";
import { takedownProgress, type TakedownProgress } from "../takedown/progress.ts";

/** A performer's consent with what the portal shows around it: the publication, the platform, the takedown. */
export interface ConsentDetail extends ConsentRecord {
  /** The document as signed: its scope and fingerprints are what the consent covers. */
  document: ConsentDocument;
  /** The consent has run out: its scope ended (status `expired`, or about to be swept). */
  lapsed: boolean;
  publication: { title: string; previewUrl: string | null; status: PublicationStatus };
  platform: { name: string; slaSeconds: number };
  /** Revoked consents: where the takedown stands. */
  takedown: TakedownProgress | null;
  /**
   * Revoked consents: whether the withdrawal blocks the content on the platform (`blocked`), or
   * when the performer allowed it again (`lifted`, and whether something else still blocks it).
   */
  block: { state: "blocked" } | { state: "lifted"; liftedAt: string; stillBlocked: boolean } | null;
}

export async function consentDetail(
  db: Db,
  performerId: string,
  consentId: string,
  now = new Date(),
): Promise<ConsentDetail> {
  const row = await db.consent.findUnique({
    where: { id: consentId },
    include: {
      publication: {
        select: {
          title: true,
          previewUrl: true,
          status: true,
          platform: { select: { name: true, slaSeconds: true } },
        },
      },
    },
  });
  if (!row || row.performerId !== performerId) throw new NotFoundError("consent");
  const { publication, ...consent } = row;
  const record = toConsentRecord(consent);
  const takedown =
    consent.status === "revoked" && consent.revokedAt
      ? ((
          await takedownProgress(
            db,
            [
              {
                id: consent.id,
                publicationId: consent.publicationId,
                revokedAt: consent.revokedAt,
                publicationStatus: publication.status,
              },
            ],
            now,
          )
        ).get(consent.id) ?? null)
      : null;
  return {
    ...record,
    block: consent.status === "revoked" ? await blockOf(db, consent.id) : null,
    document: consentDocumentSchema.parse(record.document),
    lapsed: consent.status === "expired" || (consent.status === "active" && consent.validUntil <= now),
    publication: { title: publication.title, previewUrl: publication.previewUrl, status: publication.status },
    platform: publication.platform,
    takedown,
  };
}

async function blockOf(db: Db, consentId: string): Promise<ConsentDetail["block"]> {
  const rows = await db.contentBlock.findMany({
    where: { consentId },
    select: { platformId: true, alg: true, value: true, liftedAt: true },
  });
  if (rows.length === 0) return null;
  // Every row of a withdrawal is lifted at once: any unlifted one means the block stands.
  const liftedAt = rows.find((r) => r.liftedAt)?.liftedAt;
  if (!liftedAt || rows.some((r) => !r.liftedAt)) return { state: "blocked" };
  const others = await db.contentBlock.count({
    where: {
      platformId: rows[0]!.platformId,
      liftedAt: null,
      OR: rows.map(({ alg, value }) => ({ alg, value })),
    },
  });
  return { state: "lifted", liftedAt: liftedAt.toISOString(), stillBlocked: others > 0 };
}

import type { Fingerprint, PublicationStatus, SlotStatus } from "@vergewis/sdk";
import type { Db, Tx } from "../db/client.ts";
import { Prisma } from "../db/generated/client.ts";
import type { Attestation } from "../identity/attestation.ts";

export interface ReviewableItem {
  sha256: string;
  reviewUrl: string;
}

/** A consent request (slot) with everything its answer depends on, as one performer sees it. */
export interface RequestRow {
  id: string;
  /** 0-based position among the publication's slots. */
  position: number;
  role: string;
  status: SlotStatus;
  expiresAt: Date;
  performerId: string | null;
  publication: {
    id: string;
    externalId: string;
    title: string;
    status: PublicationStatus;
    purposes: string[];
    territories: string[];
    validUntil: Date;
    /** The day the content was made (YYYY-MM-DD); null on older requests. */
    producedAt: string | null;
    platform: { id: string; name: string };
    fingerprints: Fingerprint[];
    /** The content items the performer views and verifies before signing, in request order. */
    items: ReviewableItem[];
  };
  /** All slots of the publication. */
  slotCount: number;
  /**
   * The acting performer: pseudonym, the pairwise pseudonym this publication's platform knows them
   * by (identity/pairwise.ts; their own for a slot claimed before those), latest age attestation.
   */
  actor: { pseudonym: string; platformPseudonym: string; attestation: Attestation | undefined };
}

interface Flat {
  id: string;
  position: number;
  role: string;
  status: SlotStatus;
  expiresAt: Date;
  performerId: string | null;
  publicationId: string;
  externalId: string;
  title: string;
  publicationStatus: PublicationStatus;
  purposes: string[];
  territories: string[];
  validUntil: Date;
  producedAt: string | null;
  platformId: string;
  platformName: string;
  fingerprints: Fingerprint[];
  items: ReviewableItem[];
  slotCount: number;
  pseudonym: string;
  platformPseudonym: string;
  attestationId: string | null;
  issuer: string | null;
  acr: string | null;
  over18: boolean | null;
  verifiedAt: Date | null;
  adultOn: string | null;
  minorOn: string | null;
}

/**
 * Loads a request and the acting performer in one statement (this is on the consent-signing path,
 * where each round trip counts). With `lock`, the publication row is locked for the rest of the
 * transaction: answers to one publication are serialised. Only that row is re-read once the lock
 * is granted; what depends on other answers must be read by a later statement.
 */
export async function loadRequest(
  db: Db | Tx,
  slotId: string,
  performerId: string,
  options: { lock?: boolean } = {},
): Promise<RequestRow | undefined> {
  const [row] = await db.$queryRaw<Flat[]>`
    SELECT s.id::text, s.position, s.role, s.status::text AS status, s."expiresAt", s."performerId"::text,
       p.id::text AS "publicationId", p."externalId", p.title, p.status::text AS "publicationStatus",
       p.purposes, p.territories, p."validUntil", to_char(p."producedAt", 'YYYY-MM-DD') AS "producedAt",
       pl.id::text AS "platformId", pl.name AS "platformName",
       (SELECT coalesce(json_agg(json_build_object('alg', f.alg, 'value', f.value) ORDER BY f.id), '[]'::json)
          FROM "ContentFingerprint" f WHERE f."publicationId" = p.id) AS fingerprints,
       (SELECT coalesce(json_agg(json_build_object('sha256', f.value, 'reviewUrl', f."reviewUrl") ORDER BY f.id), '[]'::json)
          FROM "ContentFingerprint" f WHERE f."publicationId" = p.id AND f."reviewUrl" IS NOT NULL) AS items,
       (SELECT count(*) FROM "Slot" o WHERE o."publicationId" = p.id)::int AS "slotCount",
       pf.pseudonym, coalesce(pp.pseudonym, pf.pseudonym) AS "platformPseudonym",
       a.id::text AS "attestationId", a.issuer, a.acr, a."over18", a."verifiedAt",
       to_char(a."adultOn", 'YYYY-MM-DD') AS "adultOn", to_char(a."minorOn", 'YYYY-MM-DD') AS "minorOn"
     FROM "Slot" s
     JOIN "Publication" p ON p.id = s."publicationId"
     JOIN "Platform" pl ON pl.id = p."platformId"
     JOIN "Performer" pf ON pf.id = ${performerId}::uuid
     LEFT JOIN "PlatformPseudonym" pp ON pp."performerId" = pf.id AND pp."platformId" = pl.id
     LEFT JOIN LATERAL (
       SELECT id, issuer, acr, "over18", "verifiedAt", "adultOn", "minorOn" FROM "AgeAttestation"
       WHERE "performerId" = pf.id ORDER BY "verifiedAt" DESC, id DESC LIMIT 1
     ) a ON true
     WHERE s.id = ${slotId}::uuid
     ${options.lock ? Prisma.sql`FOR UPDATE OF p` : Prisma.empty}`;
  if (!row) return undefined;
  return {
    id: row.id,
    position: row.position,
    role: row.role,
    status: row.status,
    expiresAt: row.expiresAt,
    performerId: row.performerId,
    publication: {
      id: row.publicationId,
      externalId: row.externalId,
      title: row.title,
      status: row.publicationStatus,
      purposes: row.purposes,
      territories: row.territories,
      validUntil: row.validUntil,
      producedAt: row.producedAt,
      platform: { id: row.platformId, name: row.platformName },
      fingerprints: row.fingerprints,
      items: row.items,
    },
    slotCount: row.slotCount,
    actor: {
      pseudonym: row.pseudonym,
      platformPseudonym: row.platformPseudonym,
      attestation:
        row.attestationId === null
          ? undefined
          : {
              id: row.attestationId,
              issuer: row.issuer!,
              acr: row.acr!,
              over18: row.over18!,
              verifiedAt: row.verifiedAt!,
              adultOn: row.adultOn!,
              minorOn: row.minorOn,
            },
    },
  };
}

import type { Fingerprint, PublicationStatus, Scope } from "@vergewis/sdk";
import type { ServerContext } from "../context.ts";
import { toConsentRecord, type ConsentRecord } from "../consent/read.ts";
import { takedownProgress, type TakedownProgress } from "../takedown/progress.ts";

export const EXPORT_FORMAT = "vergewis.performer-export.v1";

/**
 * Everything Vergewis holds about a performer, for GDPR art. 15 (access) and art. 20
 * (portability): a JSON document that is complete on its own. Consents come with their signed
 * documents, passkey evidence and receipts, so that anyone can check them offline with the SDK
 * (`verifyConsentSignature`, `verifyConsentReceipt`), and the audit log entries that name the
 * performer with their indexes, so that their inclusion can be proven against a checkpoint.
 */
export interface PerformerExport {
  format: typeof EXPORT_FORMAT;
  exportedAt: string;
  issuer: string;
  /** Where to check what follows: the receipt keys and the audit log's signed checkpoint. */
  verification: { jwks: string; logCheckpoint: string };
  performer: { pseudonym: string; createdAt: string };
  ageVerifications: Array<{
    id: string;
    issuer: string;
    acr: string;
    over18: boolean;
    verifiedAt: string;
    /** The legal name and birthdate as sealed to the auditors' escrow key: neither you nor Vergewis can read it. */
    sealedIdentity: { jwe: string; escrowKid: string | null } | null;
  }>;
  passkeys: Array<{
    id: string;
    credentialId: string;
    /** COSE_Key, base64url. */
    publicKey: string;
    createdAt: string;
    lastUsedAt: string | null;
    deviceType: string;
    backedUp: boolean;
    transports: string[];
  }>;
  requests: Array<{
    slotId: string;
    role: string;
    status: string;
    expiresAt: string;
    decidedAt: string | null;
    /** How the platform said it reaches you, if it gave that. */
    contact: string | null;
    platform: { id: string; name: string };
    publication: {
      id: string;
      externalId: string;
      title: string;
      previewUrl: string | null;
      status: PublicationStatus;
      contentFingerprints: Fingerprint[];
      scope: Scope;
    };
  }>;
  consents: Array<ConsentRecord & { takedown: TakedownProgress | null }>;
  auditEvents: Array<{ index: number; type: string; entry: string; leafHash: string }>;
}

export async function exportPerformerData(ctx: ServerContext, performerId: string): Promise<PerformerExport> {
  const { db } = ctx;
  const performer = await db.performer.findUniqueOrThrow({
    where: { id: performerId },
    select: { pseudonym: true, createdAt: true },
  });
  const [attestations, passkeys, slots, consents, events] = await Promise.all([
    db.ageAttestation.findMany({ where: { performerId }, orderBy: { id: "asc" } }),
    db.passkey.findMany({ where: { performerId }, orderBy: { id: "asc" } }),
    db.slot.findMany({
      where: { performerId },
      orderBy: { id: "asc" },
      select: {
        id: true,
        role: true,
        status: true,
        expiresAt: true,
        decidedAt: true,
        contact: true,
        publication: {
          select: {
            id: true,
            externalId: true,
            title: true,
            previewUrl: true,
            status: true,
            purposes: true,
            territories: true,
            validUntil: true,
            platform: { select: { id: true, name: true } },
            fingerprints: { select: { alg: true, value: true }, orderBy: { id: "asc" } },
          },
        },
      },
    }),
    db.consent.findMany({
      where: { performerId },
      orderBy: { id: "asc" },
      include: { publication: { select: { status: true } } },
    }),
    db.auditEvent.findMany({
      // Under their own pseudonym and the pairwise ones platforms know them by.
      where: {
        OR: [
          { performerPseudonym: performer.pseudonym },
          {
            performerPseudonym: {
              in: (await db.platformPseudonym.findMany({ where: { performerId } })).map((p) => p.pseudonym),
            },
          },
        ],
      },
      orderBy: { index: "asc" },
      select: { index: true, type: true, entry: true, leafHash: true },
    }),
  ]);
  const progress = await takedownProgress(
    db,
    consents.flatMap((c) =>
      c.status === "revoked" && c.revokedAt
        ? [
            {
              id: c.id,
              publicationId: c.publicationId,
              revokedAt: c.revokedAt,
              publicationStatus: c.publication.status,
            },
          ]
        : [],
    ),
  );
  return {
    format: EXPORT_FORMAT,
    exportedAt: new Date().toISOString(),
    issuer: ctx.publicUrl,
    verification: {
      jwks: `${ctx.publicUrl}/.well-known/jwks.json`,
      logCheckpoint: `${ctx.publicUrl}/v1/log/checkpoint`,
    },
    performer: { pseudonym: performer.pseudonym, createdAt: performer.createdAt.toISOString() },
    ageVerifications: attestations.map((a) => ({
      id: a.id,
      issuer: a.issuer,
      acr: a.acr,
      over18: a.over18,
      verifiedAt: a.verifiedAt.toISOString(),
      sealedIdentity: a.sealedIdentity ? { jwe: a.sealedIdentity, escrowKid: a.escrowKid } : null,
    })),
    passkeys: passkeys.map((p) => ({
      id: p.id,
      credentialId: p.credentialId,
      publicKey: Buffer.from(p.publicKey).toString("base64url"),
      createdAt: p.createdAt.toISOString(),
      lastUsedAt: p.lastUsedAt?.toISOString() ?? null,
      deviceType: p.deviceType,
      backedUp: p.backedUp,
      transports: p.transports,
    })),
    requests: slots.map((s) => ({
      slotId: s.id,
      role: s.role,
      status: s.status,
      expiresAt: s.expiresAt.toISOString(),
      decidedAt: s.decidedAt?.toISOString() ?? null,
      contact: s.contact,
      platform: s.publication.platform,
      publication: {
        id: s.publication.id,
        externalId: s.publication.externalId,
        title: s.publication.title,
        previewUrl: s.publication.previewUrl,
        status: s.publication.status,
        contentFingerprints: s.publication.fingerprints as Fingerprint[],
        scope: {
          purposes: [...s.publication.purposes].sort() as Scope["purposes"],
          territories: [...s.publication.territories].sort(),
          validUntil: s.publication.validUntil.toISOString(),
        },
      },
    })),
    consents: consents.map(({ publication: _, ...c }) => ({
      ...toConsentRecord(c),
      takedown: progress.get(c.id) ?? null,
    })),
    auditEvents: events.map((e) => ({
      index: Number(e.index),
      type: e.type,
      entry: e.entry,
      leafHash: Buffer.from(e.leafHash).toString("base64"),
    })),
  };
}

import { calendarDate } from "../db/calendar-date.ts";
import type {
  ConsentList,
  Fingerprint,
  PublicationStatus,
  Scope,
  SignatureEvidence,
  SlotRole,
  SlotStatus,
} from "@vergewis/sdk";
import type { Db } from "../db/client.ts";
import { NotFoundError } from "../errors.ts";
import type { Prisma } from "../db/generated/client.ts";
import { InvitationInvalidError, RequestNotFoundError } from "./errors.ts";
import type { StoredEvidence } from "./signature.ts";

/** A consent request as its performer sees it: what, for whom, in which scope. */
export interface RequestView {
  slotId: string;
  role: SlotRole;
  status: SlotStatus;
  expiresAt: string;
  decidedAt: string | null;
  publication: {
    id: string;
    title: string;
    previewUrl: string | null;
    status: PublicationStatus;
    contentFingerprints: Fingerprint[];
    /** Where the performer's browser fetches each content item to view and verify it. */
    reviewItems: Array<{ sha256: string; reviewUrl: string }>;
    scope: Scope;
    /** The day the content was made (YYYY-MM-DD); null on older requests. */
    producedAt: string | null;
  };
  /** `slaSeconds`: how long the platform has to take the content down after a withdrawal. */
  platform: { name: string; slaSeconds: number };
  consent: { id: string; status: string } | null;
}

const viewSelect = {
  id: true,
  role: true,
  status: true,
  expiresAt: true,
  performerId: true,
  decidedAt: true,
  publication: {
    select: {
      id: true,
      title: true,
      previewUrl: true,
      status: true,
      purposes: true,
      territories: true,
      validUntil: true,
      producedAt: true,
      platform: { select: { name: true, slaSeconds: true } },
      fingerprints: { select: { alg: true, value: true, reviewUrl: true }, orderBy: { id: "asc" } },
    },
  },
  consent: { select: { id: true, status: true } },
} satisfies Prisma.SlotSelect;

function toView(row: Prisma.SlotGetPayload<{ select: typeof viewSelect }>): RequestView {
  const p = row.publication;
  return {
    slotId: row.id,
    role: row.role as SlotRole,
    status: row.status,
    expiresAt: row.expiresAt.toISOString(),
    decidedAt: row.decidedAt?.toISOString() ?? null,
    publication: {
      id: p.id,
      title: p.title,
      previewUrl: p.previewUrl,
      status: p.status,
      contentFingerprints: p.fingerprints.map((f) => ({ alg: f.alg, value: f.value }) as Fingerprint),
      reviewItems: p.fingerprints.flatMap((f) => (f.reviewUrl ? [{ sha256: f.value, reviewUrl: f.reviewUrl }] : [])),
      scope: {
        purposes: [...p.purposes].sort() as Scope["purposes"],
        territories: [...p.territories].sort(),
        validUntil: p.validUntil.toISOString(),
      },
      producedAt: p.producedAt && calendarDate(p.producedAt),
    },
    platform: p.platform,
    consent: row.consent,
  };
}

/** The requests addressed to a performer, newest first. */
export async function listRequests(db: Db, performerId: string): Promise<RequestView[]> {
  const rows = await db.slot.findMany({ where: { performerId }, select: viewSelect, orderBy: { id: "desc" } });
  return rows.map(toView);
}

export async function getRequest(db: Db, performerId: string, slotId: string): Promise<RequestView> {
  const row = await db.slot.findUnique({ where: { id: slotId }, select: viewSelect });
  if (!row || row.performerId !== performerId) throw new RequestNotFoundError();
  return toView(row);
}

/**
 * The request behind an invitation opened in this browser, before the performer accepts it: open
 * to them unless someone else holds it (the portal shows it to an age-verified performer only).
 */
export async function getInvitedRequest(db: Db, performerId: string, slotId: string): Promise<RequestView> {
  const row = await db.slot.findUnique({ where: { id: slotId }, select: viewSelect });
  if (!row || (row.performerId !== null && row.performerId !== performerId)) throw new InvitationInvalidError();
  return toView(row);
}

/** A performer's own record of a consent: the document, the evidence to re-check it offline, the receipt. */
export interface ConsentRecord {
  id: string;
  slotId: string;
  publicationId: string;
  status: string;
  createdAt: string;
  revokedAt: string | null;
  document: unknown;
  documentHash: string;
  receipt: string | null;
  evidence: SignatureEvidence;
  revocation: { document: unknown; documentHash: string; evidence: SignatureEvidence } | null;
}

const asEvidence = (document: string, stored: StoredEvidence): SignatureEvidence => ({
  document,
  credentialId: stored.credentialId,
  publicKey: stored.publicKey,
  authenticatorData: stored.authenticatorData,
  clientDataJSON: stored.clientDataJSON,
  signature: stored.signature,
  userHandle: stored.userHandle,
  rpId: stored.rpId,
  origin: stored.origin,
});

export async function listConsents(
  db: Db,
  performerId: string,
): Promise<Array<Omit<ConsentRecord, "evidence" | "revocation" | "document">>> {
  const rows = await db.consent.findMany({ where: { performerId }, orderBy: { id: "desc" } });
  return rows.map((c) => ({
    id: c.id,
    slotId: c.slotId,
    publicationId: c.publicationId,
    status: c.status,
    createdAt: c.createdAt.toISOString(),
    revokedAt: c.revokedAt?.toISOString() ?? null,
    documentHash: c.documentHash,
    receipt: c.receipt,
  }));
}

export async function getConsentRecord(db: Db, performerId: string, consentId: string): Promise<ConsentRecord> {
  const c = await db.consent.findUnique({ where: { id: consentId } });
  if (!c || c.performerId !== performerId) throw new NotFoundError("consent");
  return toConsentRecord(c);
}

/** A stored consent as its performer's record. */
export function toConsentRecord(c: Prisma.ConsentGetPayload<object>): ConsentRecord {
  const revocation = c.revocation as { document: string; documentHash: string; evidence: StoredEvidence } | null;
  return {
    id: c.id,
    slotId: c.slotId,
    publicationId: c.publicationId,
    status: c.status,
    createdAt: c.createdAt.toISOString(),
    revokedAt: c.revokedAt?.toISOString() ?? null,
    document: JSON.parse(c.document) as unknown,
    documentHash: c.documentHash,
    receipt: c.receipt,
    evidence: asEvidence(c.document, c.evidence as unknown as StoredEvidence),
    revocation: revocation && {
      document: JSON.parse(revocation.document) as unknown,
      documentHash: revocation.documentHash,
      evidence: asEvidence(revocation.document, revocation.evidence),
    },
  };
}

/** The consents of a platform's publication: receipts, no evidence (it would identify the passkey). */
export async function listPublicationConsents(db: Db, platformId: string, publicationId: string): Promise<ConsentList> {
  const publication = await db.publication.findFirst({
    where: { id: publicationId, platformId },
    select: { id: true },
  });
  if (!publication) throw new NotFoundError("publication");
  const rows = await db.consent.findMany({ where: { publicationId }, orderBy: { id: "asc" } });
  return {
    // The receipt is written in the consent's own transaction: every committed consent has one.
    items: rows.flatMap((c) =>
      c.receipt === null
        ? []
        : [
            {
              id: c.id,
              slotId: c.slotId,
              status: c.status,
              receipt: c.receipt,
              createdAt: c.createdAt.toISOString(),
              revokedAt: c.revokedAt?.toISOString() ?? null,
            },
          ],
    ),
  };
}

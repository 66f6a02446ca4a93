import type { Fingerprint, Scope } from "@vergewis/sdk";

/**
 * The catalogue of audit events: every state change appends one. `data` holds ids, hashes,
 * statuses and times only: never names, birthdates, contacts, free text or secrets. Metrics and
 * reports are computed from these entries, so each figure can be traced to the log.
 */
export interface AuditEventData {
  "platform.created": { slaSeconds: number; apiKeyPrefix: string };
  "publication.requested": {
    contentFingerprints: Fingerprint[];
    scope: Scope;
    slots: Array<{ id: string; role: string; expiresAt: string }>;
  };
  "publication.cleared": Record<string, never>;
  "publication.declined": { slotId: string };
  "publication.expired": { reason: "invitations_expired" | "scope_ended" };
  /** A publication moved to takedown_required; `dueAt` is the SLA deadline for acknowledgement. */
  "takedown.requested": {
    takedownId: string;
    reason: "revocation" | "report";
    consentId?: string;
    reportId?: string;
    dueAt: string;
  };
  /** The platform confirmed removal; latency runs from `takedown.requested` to `removedAt`. */
  "takedown.acknowledged": { takedownId: string; removedAt: string };
}

export type AuditEventType = keyof AuditEventData;

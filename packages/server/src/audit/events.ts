import type {
  Fingerprint,
  ReportCategory,
  ReportDecision,
  ReportEffect,
  ReporterKind,
  Scope,
  WebhookEventType,
} from "@vergewis/sdk";

/**
 * The catalogue of audit events: every state change appends one. `data` holds ids, hashes,
 * statuses and times only: never names, birthdates, contacts, free text or secrets. Metrics and
 * reports are computed from these entries, so each figure can be traced to the log.
 */
export interface AuditEventData {
  "platform.created": { slaSeconds: number; apiKeyPrefix: string };
  "platform.configured": { slaSeconds: number; contentUrlTemplate: string | null };
  "publication.requested": {
    contentFingerprints: Fingerprint[];
    scope: Scope;
    /** The day the content was made (YYYY-MM-DD). */
    producedAt: string;
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
  /** The platform confirmed removal; latency runs from `takedown.requested` to the later of this entry and `removedAt`. */
  "takedown.acknowledged": { takedownId: string; removedAt: string };
  /** A signing key was added (first start or `vergewis keys rotate`); `kid` is in the JWKS. */
  "signing_key.created": { kid: string; alg: string; purpose: string };
  /** An adult passed age verification; `newAccount` when it created the performer. */
  "identity.verified": {
    attestationId: string;
    issuer: string;
    acr: string;
    basis: "age_over_18" | "birthdate";
    newAccount: boolean;
    sealed: boolean;
    /** The production date the verification was asked about, and the outcome: no age, no birthdate. */
    production?: { date: string; outcome: "adult" | "minor" | "unknown" };
  };
  /** Age verification refused (minor, unknown age, weak assurance, broken flow): no account, no person. */
  "identity.verification_refused": { reason: string; issuer: string; acr?: string };
  /** A sealed identity record was handed out for unsealing (`vergewis auditor unseal`). */
  "identity.sealed_record_exported": { attestationId: string };
  "passkey.registered": { passkeyId: string; deviceType: string; backedUp: boolean };
  "passkey.removed": { passkeyId: string };
  /** A performer took up the invitation for a slot. */
  "invitation.accepted": { slotId: string };
  /** The invitation mail to a co-performer's contact was accepted by the SMTP server. */
  "invitation.mail_sent": { slotId: string; mailId: string; attempts: number };
  /** The invitation mail could not be sent: refused, retries exhausted, or the slot closed meanwhile. */
  "invitation.mail_failed": {
    slotId: string;
    mailId: string;
    attempts: number;
    reason: "rejected" | "retries_exhausted" | "slot_closed";
  };
  /** The platform asked for a new invitation: a new code, the old one dead; `mailed` when it went by mail. */
  "invitation.reissued": { slotId: string; mailed: boolean };
  /** A passkey-signed consent; `documentHash` is base64url(SHA-256(canonical document)). */
  "consent.signed": {
    consentId: string;
    slotId: string;
    documentHash: string;
    attestationId: string;
    passkeyId: string;
    statusList: { id: number; idx: number };
  };
  /** A passkey-signed revocation; `revocationHash` is the hash of the signed revocation document. */
  "consent.revoked": {
    consentId: string;
    slotId: string;
    documentHash: string;
    revocationHash: string;
    passkeyId: string;
    takedownId?: string;
    /**
     * Withdrawn by "withdraw everywhere" together with consent `of`: its content matched that
     * consent's by `algorithm` at Hamming `distance`.
     */
    everywhere?: { of: string; algorithm: string; distance: number };
  };
  /**
   * The platform may not request or clear this content again: a consent to it was withdrawn
   * (`consentId`) or a report on it upheld (`reportId`). Every fingerprint of the publication.
   */
  "content.blocked": ({ source: "withdrawal"; consentId: string } | { source: "report"; reportId: string }) & {
    contentFingerprints: Fingerprint[];
  };
  /**
   * The performer who withdrew `consentId` allowed its content again, signing the lift document
   * (`liftHash`) with a passkey: that withdrawal no longer blocks these fingerprints.
   */
  "content.block_lifted": {
    consentId: string;
    liftHash: string;
    passkeyId: string;
    contentFingerprints: Fingerprint[];
  };
  /**
   * A performer deleted their account with one passkey signature over the deletion document
   * (`deletionHash`): the consents and requests it names were revoked and declined (each with its
   * own event), then personal data was erased; `erased` counts the rows touched.
   */
  "account.deleted": {
    deletionHash: string;
    passkeyId: string;
    revokedConsents: string[];
    declinedSlots: string[];
    erased: { attestations: number; passkeys: number; sessions: number; contacts: number };
  };
  /** A new key signs checkpoints from here on: auditors pin keys, so the log records each one. */
  "log.key_activated": { keyName: string; keyId: string; publicKey: string };
  /** An operator issued a read-only auditor token; `scope` is the platform id, or "all". */
  "auditor.token_created": { tokenId: string; prefix: string; scope: string };
  "auditor.token_revoked": { tokenId: string; prefix: string };
  /** A takedown passed its deadline unacknowledged: escalated, repeated every notice interval. */
  "takedown.overdue": { takedownId: string; dueAt: string; notice: number };
  "webhook_endpoint.created": { endpointId: string; eventTypes: WebhookEventType[] };
  "webhook_endpoint.secret_rotated": { endpointId: string; previousSecretExpiresAt: string };
  /** Disabled after the receiver answered 410 Gone, or enabled again by the platform. */
  "webhook_endpoint.disabled": { endpointId: string; reason: "gone" };
  "webhook_endpoint.enabled": { endpointId: string };
  "webhook_endpoint.deleted": { endpointId: string };
  /** Retries ran out (or the endpoint went away): an event did not reach the platform. */
  "webhook.dead_lettered": {
    deliveryId: string;
    eventId: string;
    eventType: string;
    endpointId: string;
    attempts: number;
    cause: "retries_exhausted" | "endpoint_disabled" | "endpoint_deleted";
  };
  "webhook.redelivery_requested": { deliveryId: string; eventId: string };
  "flagger.created": { flaggerId: string; tokenPrefix: string };
  "flagger.revoked": { flaggerId: string };
  /** A notice (DSA art. 16) came in; `matches` publications got a report. No content of the notice. */
  "notice.received": {
    noticeId: string;
    category: ReportCategory;
    /** A depicted person's notice also names them (the entry's performerPseudonym). */
    reporter: ReporterKind;
    trustedFlaggerId?: string;
    fingerprint?: Fingerprint;
    matches: number;
  };
  "report.received": {
    reportId: string;
    noticeId: string;
    matchedBy: "fingerprint" | "url";
    /** By fingerprint: the algorithm that matched and the Hamming distance (0: the same hash). */
    algorithm?: "sha-256" | "pdq" | "vpdq";
    distance?: number;
    trusted: boolean;
    reporter: ReporterKind;
    effect: ReportEffect;
    dueAt: string;
  };
  "report.overdue": { reportId: string; dueAt: string; notice: number };
  /** The platform's decision (DSA art. 17); the statement of reasons stays with the report. */
  "report.resolved": { reportId: string; decision: ReportDecision; takedownId?: string };
}

export type AuditEventType = keyof AuditEventData;

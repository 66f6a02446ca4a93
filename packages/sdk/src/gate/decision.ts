import type { CheckReason, CheckResult } from "../schemas/check.ts";
import type { Publication } from "../schemas/publication.ts";
import type { VergewisSdkError } from "../errors.ts";
import type { OfflineRefusal } from "./receipt-set.ts";
import { scopeRefusal, type Usage } from "../schemas/scope.ts";

/** Why the gate decided as it did: the server's reason, or `unavailable` when it could not be asked. */
export type GateReason = CheckReason | "unavailable";

/**
 * Where a decision came from: `online` (the server answered this call), `cache` (a recent
 * answer, at most `cache.maxAgeMs` old), `offline` (the server could not be asked; kept receipts,
 * a cached key set and a status list within its `ttl` decided), `fallback` (the server could not be
 * asked and the `failClosed` policy decided).
 */
export type GateSource = "online" | "cache" | "offline" | "fallback";

export interface GateDecision {
  /** Serve the content only when this is true. */
  allowed: boolean;
  reason: GateReason;
  /** The publication the decision is about, when the server knows one. */
  publicationId?: string;
  /** Its status, when the server answered. */
  status?: CheckResult["status"];
  /** The refusal came from a near-duplicate of blocked content: its algorithm and distance. */
  nearDuplicate?: CheckResult["nearDuplicate"];
  source: GateSource;
  /** When the answer was asked for: a cached decision is never used beyond this plus `maxAgeMs`. */
  checkedAt: Date;
  /** Why the server could not be asked (`reason: "unavailable"` only). */
  error?: VergewisSdkError;
  /**
   * Why the kept receipts could not decide instead (`source: "fallback"` with the gate's `offline`
   * option only), e.g. `incomplete` when a depicted person's receipt is missing.
   */
  offlineRefusal?: OfflineRefusal;
}

/** A publication's own status and scope as a decision (the gate by `publicationId`). */
export function decideFromPublication(
  publication: Publication,
  now: number,
  usage: Partial<Usage> = {},
): Omit<GateDecision, "source" | "checkedAt"> {
  const base = { publicationId: publication.id, status: publication.status };
  switch (publication.status) {
    case "cleared": {
      if (Date.parse(publication.scope.validUntil) <= now) return { ...base, allowed: false, reason: "expired" };
      const outside = scopeRefusal(publication.scope, usage);
      return outside ? { ...base, allowed: false, reason: outside } : { ...base, allowed: true, reason: "cleared" };
    }
    case "takedown_required":
    case "taken_down":
      return { ...base, allowed: false, reason: "revoked" };
    default:
      return { ...base, allowed: false, reason: publication.status };
  }
}

/**
 * The HTTP status for content the gate refused: 404 unknown, 403 not (yet) consented or not for
 * this purpose, 410 gone for good (consent revoked or scope ended), 451 reported and under review,
 * or not consented for the viewer's territory (RFC 7725), 503 the gate could not decide. `requireConsent` answers with it; use it in your own denial pages.
 */
export function denialStatus(decision: Pick<GateDecision, "reason">): number {
  switch (decision.reason) {
    case "unknown":
      return 404;
    case "pending":
    case "declined":
    case "purpose_not_consented":
      return 403;
    case "revoked":
    case "expired":
      return 410;
    case "reported":
    case "territory_not_consented":
      return 451;
    case "unavailable":
      return 503;
    case "cleared":
      return 200;
  }
}

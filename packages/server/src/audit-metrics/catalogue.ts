import type { AuditEventType } from "../audit/events.ts";

/**
 * Which log entries the metrics and reports count. A new event type that auditors should see
 * counted is added here, under an existing figure or a new one; everything else follows.
 * Types of other domains are named as strings, so a figure reads 0 until its events exist.
 */
export const COUNTERS = {
  publications: ["publication.requested"],
  consents: ["consent.signed"],
  // A performer's decline declines the whole publication (consent/decline.ts).
  declines: ["publication.declined"],
  revocations: ["consent.revoked"],
  reports: ["report.received"],
} as const satisfies Record<string, readonly string[]>;

export type CounterName = keyof typeof COUNTERS;
export const COUNTER_NAMES = Object.keys(COUNTERS) as CounterName[];

/** Takedown latency runs from this entry's time… */
export const TAKEDOWN_REQUESTED = "takedown.requested" satisfies AuditEventType;
/**
 * …to this entry's time or the `removedAt` it reports, whichever is later (`settledAt` in facts.ts);
 * the SLA is met when that is not after `dueAt`.
 */
export const TAKEDOWN_ACKNOWLEDGED = "takedown.acknowledged" satisfies AuditEventType;

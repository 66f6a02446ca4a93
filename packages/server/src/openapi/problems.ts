import type { ErrorCode } from "@vergewis/sdk";

/**
 * The problem `code`s each operation can answer with, by HTTP status: the one place where they are
 * listed, typed by the SDK's error catalogue (a code it lacks does not compile). The contract tests check every problem
 * the API suites receive against these lists.
 */
export type ProblemCodes = Partial<Record<number, readonly ErrorCode[]>>;

/** Any request: an undecodable path, a body sent with a Content-Encoding; the database down or full. */
const ANY: ProblemCodes = {
  400: ["malformed_path"],
  415: ["unsupported_encoding"],
  503: ["database_unavailable", "storage_full"],
};
const TOKEN: ProblemCodes = { 401: ["unauthenticated"] };
/** The platform API reads a JSON body on every route (`jsonBody`). */
const PLATFORM: ProblemCodes = {
  ...TOKEN,
  400: ["invalid_request", "malformed_json", "malformed_request"],
  413: ["body_too_large"],
  415: ["unsupported_media_type", "unsupported_encoding"],
};
/** POSTs under `withIdempotency`: a malformed key (400) or a key reused with another request. */
const IDEMPOTENT: ProblemCodes = { 422: ["idempotency_key_reused"] };
const QUERY: ProblemCodes = { 400: ["invalid_request"] };
const NOT_FOUND: ProblemCodes = { 404: ["not_found"] };
const CHANGED: ProblemCodes = { 409: ["concurrent_change"] };

export function mergeCodes(...sets: ProblemCodes[]): ProblemCodes {
  const merged: Record<number, ErrorCode[]> = {};
  for (const set of sets)
    for (const [status, codes] of Object.entries(set))
      merged[Number(status)] = [...new Set([...(merged[Number(status)] ?? []), ...codes!])];
  return merged;
}

const platform = (...sets: ProblemCodes[]) => mergeCodes(ANY, PLATFORM, ...sets);
const auditor = (...sets: ProblemCodes[]) => mergeCodes(ANY, TOKEN, ...sets);

/** By operationId. */
export const PROBLEMS: Record<string, ProblemCodes> = {
  createPublication: platform(IDEMPOTENT, { 409: ["external_id_taken", "content_withdrawn"] }),
  reissueInvitation: platform(IDEMPOTENT, NOT_FOUND, {
    409: ["slot_not_open", "publication_not_pending"],
    429: ["rate_limited"],
  }),
  listPublications: platform(QUERY),
  getPublication: platform(NOT_FOUND),
  listPublicationConsents: platform(NOT_FOUND),
  checkContent: platform(),
  listTakedowns: platform(QUERY),
  getTakedown: platform(NOT_FOUND),
  acknowledgeTakedown: platform(IDEMPOTENT, NOT_FOUND, CHANGED, {
    409: ["already_acknowledged"],
    422: ["removed_at_out_of_range"],
  }),
  listReports: platform(QUERY),
  getReport: platform(NOT_FOUND),
  resolveReport: platform(IDEMPOTENT, NOT_FOUND, CHANGED, {
    409: ["already_resolved"],
    422: ["removed_at_out_of_range"],
  }),
  createWebhookEndpoint: platform(IDEMPOTENT, { 409: ["too_many_endpoints"], 422: ["private_address"] }),
  listWebhookEndpoints: platform(),
  getWebhookEndpoint: platform(NOT_FOUND),
  deleteWebhookEndpoint: platform(NOT_FOUND),
  rotateWebhookSecret: platform(IDEMPOTENT, NOT_FOUND),
  enableWebhookEndpoint: platform(IDEMPOTENT, NOT_FOUND),
  recoverWebhookEndpoint: platform(IDEMPOTENT, NOT_FOUND, { 409: ["endpoint_disabled"] }),
  listWebhookDeliveries: platform(QUERY),
  getWebhookDelivery: platform(NOT_FOUND),
  redeliverWebhookDelivery: platform(IDEMPOTENT, NOT_FOUND, CHANGED, {
    409: ["delivery_in_progress", "endpoint_disabled"],
  }),
  listEvents: platform(QUERY),

  listAuditEvents: auditor(QUERY, { 403: ["out_of_scope"] }),
  getAuditEvent: auditor(NOT_FOUND),
  exportAuditEvents: auditor(QUERY, { 403: ["out_of_scope"] }),
  getLogEntries: auditor(QUERY),
  getLogInclusion: auditor(QUERY),
  publishCheckpoint: auditor(),
  getInclusionProof: auditor(QUERY, NOT_FOUND),
  getConsistencyProof: auditor(QUERY),
  getAuditMetrics: auditor(QUERY, { 403: ["out_of_scope"] }),
  getMonthlyReport: auditor(QUERY, NOT_FOUND, { 403: ["out_of_scope"] }),

  submitReport: mergeCodes(ANY, PLATFORM, { 429: ["rate_limited"] }),
  getLogCheckpoint: mergeCodes(ANY),
  getLogKey: mergeCodes(ANY),
  getStatusList: mergeCodes(ANY, NOT_FOUND),
  getJwks: mergeCodes(ANY),
  getHealth: {},
  getReadiness: mergeCodes(ANY),
  getProblemType: mergeCodes(ANY, NOT_FOUND),
  getOpenApiDocument: mergeCodes(ANY),
};

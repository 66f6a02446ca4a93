import {
  auditEventQuerySchema,
  auditExportQuerySchema,
  auditMetricsQuerySchema,
  consistencyProofQuerySchema,
  deliveryListQuerySchema,
  eventListQuerySchema,
  inclusionProofQuerySchema,
  logEntriesQuerySchema,
  logInclusionQuerySchema,
  monthlyReportQuerySchema,
  publicationListQuerySchema,
  reportListQuerySchema,
  takedownListQuerySchema,
} from "@vergewis/sdk";
import type { z } from "zod";

/** Who may call: a platform's API key, an auditor's token, a trusted flagger's token (optional), anyone. */
export type Caller = "platform" | "auditor" | "flagger" | "public";

/** A body: a component of `components.ts` by name (JSON), or a raw media type with a plain schema. */
export type Body = string | { mediaType: string; schema: Record<string, unknown> };

export interface ResponseSpec {
  description: string;
  /** By media type; a component name stands for `application/json`. */
  body?: Body | Body[];
  headers?: string[];
}

export interface OperationSpec {
  operationId: string;
  method: "get" | "post" | "delete";
  /** OpenAPI path template, `{name}` for Express's `:name`. */
  path: string;
  tag: string;
  summary: string;
  description?: string;
  caller: Caller;
  pathParams?: Record<string, Record<string, unknown>>;
  query?: z.ZodObject;
  /** The request body: a component name; `optional` when an absent body means `{}`. */
  requestBody?: { component: string; optional?: boolean };
  /** POSTs that take an `Idempotency-Key`. */
  idempotent?: boolean;
  responses: Record<number, ResponseSpec>;
}

const uuid = { type: "string", format: "uuid" };
const id = (what: string) => ({ id: { ...uuid, description: `The ${what}'s id.` } });
const text = (mediaType: string, description?: string) => ({
  mediaType,
  schema: { type: "string", ...(description && { description }) },
});

/** Every operation of the API, grouped as the server mounts them. */
export const OPERATIONS: OperationSpec[] = [
  // The platform API.
  {
    operationId: "createPublication",
    method: "post",
    path: "/v1/publications",
    tag: "Publications",
    summary: "Request consent for a publication",
    description:
      "Creates the publication request with one slot per depicted person. Vergewis mails each co-performer's invitation to the slot's contact itself; the answer carries the uploader slot's invitation only (shown only now, not on a replay: hand it to your logged-in uploader).",
    caller: "platform",
    requestBody: { component: "PublicationRequest" },
    idempotent: true,
    responses: {
      201: { description: "Created.", body: "CreatedPublication", headers: ["Location", "IdempotentReplayed"] },
    },
  },
  {
    operationId: "listPublications",
    method: "get",
    path: "/v1/publications",
    tag: "Publications",
    summary: "List publication requests",
    caller: "platform",
    query: publicationListQuerySchema,
    responses: { 200: { description: "A page, newest first.", body: "PublicationList" } },
  },
  {
    operationId: "getPublication",
    method: "get",
    path: "/v1/publications/{id}",
    tag: "Publications",
    summary: "Read a publication request",
    caller: "platform",
    pathParams: id("publication"),
    responses: { 200: { description: "The publication.", body: "Publication" } },
  },
  {
    operationId: "listPublicationConsents",
    method: "get",
    path: "/v1/publications/{id}/consents",
    tag: "Publications",
    summary: "The consents of a publication, with their receipts",
    caller: "platform",
    pathParams: id("publication"),
    responses: { 200: { description: "Every consent given for the publication.", body: "ConsentList" } },
  },
  {
    operationId: "reissueInvitation",
    method: "post",
    path: "/v1/publications/{id}/slots/{slotId}/invitation",
    tag: "Publications",
    summary: "Reissue a lost invitation",
    description:
      "A new code for an open slot; the old one stops working. A co-performer gets a new mail; the uploader slot's invitation is in the answer. At most 5 per slot and hour.",
    caller: "platform",
    pathParams: { ...id("publication"), slotId: { ...uuid, description: "The slot's id." } },
    requestBody: { component: "EmptyRequest", optional: true },
    idempotent: true,
    responses: {
      200: { description: "Reissued.", body: "ReissuedInvitation", headers: ["IdempotentReplayed"] },
    },
  },
  {
    operationId: "checkContent",
    method: "post",
    path: "/v1/check",
    tag: "Publications",
    summary: "May this content be published?",
    description: "The publish gate: call it before content goes live, by its fingerprint.",
    caller: "platform",
    requestBody: { component: "CheckRequest" },
    responses: { 200: { description: "The decision and why.", body: "CheckResult" } },
  },
  {
    operationId: "listTakedowns",
    method: "get",
    path: "/v1/takedowns",
    tag: "Takedowns",
    summary: "List takedowns",
    caller: "platform",
    query: takedownListQuerySchema,
    responses: { 200: { description: "A page.", body: "TakedownList" } },
  },
  {
    operationId: "getTakedown",
    method: "get",
    path: "/v1/takedowns/{id}",
    tag: "Takedowns",
    summary: "Read a takedown",
    caller: "platform",
    pathParams: id("takedown"),
    responses: { 200: { description: "The takedown.", body: "Takedown" } },
  },
  {
    operationId: "acknowledgeTakedown",
    method: "post",
    path: "/v1/takedowns/{id}/ack",
    tag: "Takedowns",
    summary: "Confirm that the content was removed",
    caller: "platform",
    pathParams: id("takedown"),
    requestBody: { component: "TakedownAckRequest" },
    idempotent: true,
    responses: {
      200: { description: "The acknowledged takedown.", body: "Takedown", headers: ["IdempotentReplayed"] },
    },
  },
  {
    operationId: "listReports",
    method: "get",
    path: "/v1/reports",
    tag: "Reports",
    summary: "List reports about your publications",
    caller: "platform",
    query: reportListQuerySchema,
    responses: {
      200: { description: "A page, trusted flaggers' reports first, then by deadline.", body: "ReportList" },
    },
  },
  {
    operationId: "getReport",
    method: "get",
    path: "/v1/reports/{id}",
    tag: "Reports",
    summary: "Read a report",
    caller: "platform",
    pathParams: id("report"),
    responses: { 200: { description: "The report.", body: "Report" } },
  },
  {
    operationId: "resolveReport",
    method: "post",
    path: "/v1/reports/{id}/resolve",
    tag: "Reports",
    summary: "Resolve a report with a statement of reasons",
    caller: "platform",
    pathParams: id("report"),
    requestBody: { component: "ReportResolution" },
    idempotent: true,
    responses: { 200: { description: "The resolved report.", body: "Report", headers: ["IdempotentReplayed"] } },
  },
  {
    operationId: "createWebhookEndpoint",
    method: "post",
    path: "/v1/webhook-endpoints",
    tag: "Webhooks",
    summary: "Register a webhook endpoint",
    caller: "platform",
    requestBody: { component: "WebhookEndpointRequest" },
    idempotent: true,
    responses: {
      201: {
        description: "Created, with its signing secret.",
        body: "WebhookEndpointWithSecret",
        headers: ["Location", "IdempotentReplayed"],
      },
    },
  },
  {
    operationId: "listWebhookEndpoints",
    method: "get",
    path: "/v1/webhook-endpoints",
    tag: "Webhooks",
    summary: "List webhook endpoints",
    caller: "platform",
    responses: { 200: { description: "Every endpoint of the platform.", body: "WebhookEndpointList" } },
  },
  {
    operationId: "getWebhookEndpoint",
    method: "get",
    path: "/v1/webhook-endpoints/{id}",
    tag: "Webhooks",
    summary: "Read a webhook endpoint",
    caller: "platform",
    pathParams: id("webhook endpoint"),
    responses: { 200: { description: "The endpoint.", body: "WebhookEndpoint" } },
  },
  {
    operationId: "deleteWebhookEndpoint",
    method: "delete",
    path: "/v1/webhook-endpoints/{id}",
    tag: "Webhooks",
    summary: "Delete a webhook endpoint",
    caller: "platform",
    pathParams: id("webhook endpoint"),
    responses: { 204: { description: "Deleted; its pending deliveries are dead." } },
  },
  {
    operationId: "rotateWebhookSecret",
    method: "post",
    path: "/v1/webhook-endpoints/{id}/rotate-secret",
    tag: "Webhooks",
    summary: "Rotate the signing secret",
    caller: "platform",
    pathParams: id("webhook endpoint"),
    requestBody: { component: "RotateSecretRequest", optional: true },
    idempotent: true,
    responses: {
      200: {
        description: "The endpoint with its new secret.",
        body: "WebhookEndpointWithSecret",
        headers: ["IdempotentReplayed"],
      },
    },
  },
  {
    operationId: "enableWebhookEndpoint",
    method: "post",
    path: "/v1/webhook-endpoints/{id}/enable",
    tag: "Webhooks",
    summary: "Enable a disabled endpoint again",
    caller: "platform",
    pathParams: id("webhook endpoint"),
    requestBody: { component: "EmptyRequest", optional: true },
    idempotent: true,
    responses: { 200: { description: "The endpoint.", body: "WebhookEndpoint", headers: ["IdempotentReplayed"] } },
  },
  {
    operationId: "recoverWebhookEndpoint",
    method: "post",
    path: "/v1/webhook-endpoints/{id}/recover",
    tag: "Webhooks",
    summary: "Redeliver the endpoint's dead deliveries after an outage",
    caller: "platform",
    pathParams: id("webhook endpoint"),
    requestBody: { component: "RecoverRequest", optional: true },
    idempotent: true,
    responses: { 202: { description: "Queued again.", body: "RecoverResult", headers: ["IdempotentReplayed"] } },
  },
  {
    operationId: "listWebhookDeliveries",
    method: "get",
    path: "/v1/webhook-deliveries",
    tag: "Webhooks",
    summary: "List webhook deliveries",
    caller: "platform",
    query: deliveryListQuerySchema,
    responses: { 200: { description: "A page.", body: "WebhookDeliveryList" } },
  },
  {
    operationId: "getWebhookDelivery",
    method: "get",
    path: "/v1/webhook-deliveries/{id}",
    tag: "Webhooks",
    summary: "Read a delivery with its attempts",
    caller: "platform",
    pathParams: id("webhook delivery"),
    responses: { 200: { description: "The delivery.", body: "WebhookDeliveryDetail" } },
  },
  {
    operationId: "redeliverWebhookDelivery",
    method: "post",
    path: "/v1/webhook-deliveries/{id}/redeliver",
    tag: "Webhooks",
    summary: "Send a delivery again",
    caller: "platform",
    pathParams: id("webhook delivery"),
    requestBody: { component: "EmptyRequest", optional: true },
    idempotent: true,
    responses: { 202: { description: "Queued again.", body: "WebhookDelivery", headers: ["IdempotentReplayed"] } },
  },
  {
    operationId: "listEvents",
    method: "get",
    path: "/v1/events",
    tag: "Webhooks",
    summary: "The event feed (what webhooks deliver), for polling",
    caller: "platform",
    query: eventListQuerySchema,
    responses: { 200: { description: "Events after the cursor, oldest first.", body: "EventList" } },
  },

  // Public.
  {
    operationId: "submitReport",
    method: "post",
    path: "/v1/reports",
    tag: "Public",
    summary: "Report content (DSA art. 16 notice)",
    description:
      "No account needed. A trusted flagger may send its token as a bearer token; a token that is sent must be valid. Rate-limited per client address or flagger.",
    caller: "flagger",
    requestBody: { component: "ReportRequest" },
    responses: { 202: { description: "Received.", body: "ReportReceipt" } },
  },
  {
    operationId: "getStatusList",
    method: "get",
    path: "/v1/status-lists/{id}",
    tag: "Public",
    summary: "A token status list (revocation of receipts)",
    caller: "public",
    pathParams: { id: { type: "integer", minimum: 1, maximum: 2 ** 31 - 1 } },
    responses: {
      200: {
        description: "The signed status list (draft-ietf-oauth-status-list).",
        body: text("application/statuslist+jwt", "A compact JWS."),
        headers: ["ETag"],
      },
      304: { description: "Not modified (If-None-Match)." },
    },
  },
  {
    operationId: "getLogCheckpoint",
    method: "get",
    path: "/v1/log/checkpoint",
    tag: "Public",
    summary: "The log's newest signed checkpoint",
    caller: "public",
    responses: { 200: { description: "A C2SP signed note.", body: text("text/plain") } },
  },
  {
    operationId: "getLogKey",
    method: "get",
    path: "/v1/log/key",
    tag: "Public",
    summary: "The key that signs checkpoints",
    caller: "public",
    responses: { 200: { description: "The key.", body: "LogKey" } },
  },
  {
    operationId: "getJwks",
    method: "get",
    path: "/.well-known/jwks.json",
    tag: "Public",
    summary: "The keys that sign receipts and status lists",
    caller: "public",
    responses: {
      200: {
        description: "A JWK set.",
        body: { mediaType: "application/jwk-set+json", schema: { $ref: "#/components/schemas/Jwks" } },
      },
    },
  },
  {
    operationId: "getHealth",
    method: "get",
    path: "/healthz",
    tag: "Public",
    summary: "The process runs",
    caller: "public",
    responses: { 200: { description: "Alive.", body: "Health" } },
  },
  {
    operationId: "getReadiness",
    method: "get",
    path: "/readyz",
    tag: "Public",
    summary: "The server can serve (its database answers)",
    caller: "public",
    responses: { 200: { description: "Ready.", body: "Ready" } },
  },
  {
    operationId: "getProblemType",
    method: "get",
    path: "/problems/{code}",
    tag: "Public",
    summary: "What a problem type means",
    caller: "public",
    pathParams: { code: { type: "string", pattern: "^[a-z][a-z0-9_]{0,63}$" } },
    responses: { 200: { description: "A short page.", body: text("text/html") } },
  },
  {
    operationId: "getOpenApiDocument",
    method: "get",
    path: "/openapi.json",
    tag: "Public",
    summary: "This document",
    caller: "public",
    responses: {
      200: { description: "OpenAPI 3.1.", body: { mediaType: "application/json", schema: { type: "object" } } },
    },
  },

  // The auditor API.
  {
    operationId: "listAuditEvents",
    method: "get",
    path: "/v1/audit/events",
    tag: "Audit",
    summary: "Log entries in the token's scope",
    caller: "auditor",
    query: auditEventQuerySchema,
    responses: { 200: { description: "A page.", body: "AuditEventList" } },
  },
  {
    operationId: "getAuditEvent",
    method: "get",
    path: "/v1/audit/events/{index}",
    tag: "Audit",
    summary: "One log entry by index",
    caller: "auditor",
    pathParams: { index: { type: "integer", minimum: 0 } },
    responses: { 200: { description: "The entry.", body: "AuditEvent" } },
  },
  {
    operationId: "exportAuditEvents",
    method: "get",
    path: "/v1/audit/export",
    tag: "Audit",
    summary: "Every matching entry, streamed",
    caller: "auditor",
    query: auditExportQuerySchema,
    responses: {
      200: {
        description: "JSON Lines (one AuditEvent a line) or CSV.",
        body: [text("application/jsonl"), text("text/csv")],
      },
    },
  },
  {
    operationId: "getLogEntries",
    method: "get",
    path: "/v1/audit/log/entries",
    tag: "Audit",
    summary: "A page of the raw log",
    caller: "auditor",
    query: logEntriesQuerySchema,
    responses: { 200: { description: "Entries in scope in full, others by leaf hash.", body: "LogEntries" } },
  },
  {
    operationId: "getLogInclusion",
    method: "get",
    path: "/v1/audit/log/inclusion",
    tag: "Audit",
    summary: "The audit path of any leaf",
    caller: "auditor",
    query: logInclusionQuerySchema,
    responses: { 200: { description: "The proof.", body: "InclusionProof" } },
  },
  {
    operationId: "publishCheckpoint",
    method: "post",
    path: "/v1/audit/checkpoint",
    tag: "Audit",
    summary: "Sign a checkpoint of the log now",
    caller: "auditor",
    responses: { 200: { description: "The newest checkpoint.", body: "Checkpoint" } },
  },
  {
    operationId: "getInclusionProof",
    method: "get",
    path: "/v1/audit/proofs/inclusion",
    tag: "Audit",
    summary: "Inclusion proof of an entry in the token's scope",
    caller: "auditor",
    query: inclusionProofQuerySchema,
    responses: { 200: { description: "The proof.", body: "InclusionProof" } },
  },
  {
    operationId: "getConsistencyProof",
    method: "get",
    path: "/v1/audit/proofs/consistency",
    tag: "Audit",
    summary: "Consistency proof between two tree sizes",
    caller: "auditor",
    query: consistencyProofQuerySchema,
    responses: { 200: { description: "The proof.", body: "ConsistencyProof" } },
  },
  {
    operationId: "getAuditMetrics",
    method: "get",
    path: "/v1/audit/metrics",
    tag: "Audit",
    summary: "Counts, takedown latency and SLA compliance",
    caller: "auditor",
    query: auditMetricsQuerySchema,
    responses: { 200: { description: "The figures.", body: "AuditMetrics" } },
  },
  {
    operationId: "getMonthlyReport",
    method: "get",
    path: "/v1/audit/reports/monthly",
    tag: "Audit",
    summary: "A platform's monthly transparency report",
    description: "HTML, CSV or JSON: by `format`, else by the Accept header.",
    caller: "auditor",
    query: monthlyReportQuerySchema,
    responses: {
      200: {
        description: "The report.",
        body: [text("text/html"), text("text/csv"), { mediaType: "application/json", schema: { type: "object" } }],
      },
    },
  },
];

import {
  auditEventListSchema,
  auditEventSchema,
  auditMetricsSchema,
  checkRequestSchema,
  checkResultSchema,
  checkpointSchema,
  consentListSchema,
  consistencyProofSchema,
  createdPublicationSchema,
  reissuedInvitationSchema,
  deliveryListSchema,
  eventListSchema,
  fingerprintSchema,
  inclusionProofSchema,
  instantSchema,
  jwksSchema,
  logEntriesSchema,
  logKeySchema,
  problemSchema,
  publicationListSchema,
  publicationRequestSchema,
  publicationSchema,
  recoverRequestSchema,
  recoverResultSchema,
  reportListSchema,
  reportReceiptSchema,
  reportRequestSchema,
  reportResolutionSchema,
  reportSchema,
  rotateSecretRequestSchema,
  takedownAckRequestSchema,
  takedownListSchema,
  takedownSchema,
  webhookDeliveryDetailSchema,
  webhookDeliverySchema,
  webhookEndpointListSchema,
  webhookEndpointRequestSchema,
  webhookEndpointSchema,
  webhookEndpointWithSecretSchema,
  webhookEventSchema,
} from "@vergewis/sdk";
import { z } from "zod";

/** `/healthz` and `/readyz`: the only bodies of the API that are not the SDK's. */
export const healthSchema = z.object({ status: z.literal("ok") });
export const readySchema = z.object({ status: z.literal("ready") });
/** Bodies that take no fields: `{}` or nothing. */
export const emptyRequestSchema = z.strictObject({});

/** `publication.cleared` → `PublicationClearedEvent`. */
export const eventComponentName = (type: string) =>
  type
    .split(/[._]/)
    .map((part) => part[0]!.toUpperCase() + part.slice(1))
    .join("") + "Event";

/**
 * The named schemas of the document (`#/components/schemas/<name>`), all from the SDK: a body
 * the server sends or takes is one of these, so the document cannot describe another shape.
 */
export function componentRegistry() {
  const registry = z.registry<{ id: string }>();
  const named: Record<string, z.ZodType> = {
    Instant: instantSchema,
    Fingerprint: fingerprintSchema,
    Problem: problemSchema,
    PublicationRequest: publicationRequestSchema,
    Publication: publicationSchema,
    CreatedPublication: createdPublicationSchema,
    ReissuedInvitation: reissuedInvitationSchema,
    PublicationList: publicationListSchema,
    CheckRequest: checkRequestSchema,
    CheckResult: checkResultSchema,
    ConsentList: consentListSchema,
    Takedown: takedownSchema,
    TakedownList: takedownListSchema,
    TakedownAckRequest: takedownAckRequestSchema,
    ReportRequest: reportRequestSchema,
    ReportReceipt: reportReceiptSchema,
    Report: reportSchema,
    ReportList: reportListSchema,
    ReportResolution: reportResolutionSchema,
    WebhookEndpointRequest: webhookEndpointRequestSchema,
    WebhookEndpoint: webhookEndpointSchema,
    WebhookEndpointWithSecret: webhookEndpointWithSecretSchema,
    WebhookEndpointList: webhookEndpointListSchema,
    RotateSecretRequest: rotateSecretRequestSchema,
    RecoverRequest: recoverRequestSchema,
    RecoverResult: recoverResultSchema,
    EmptyRequest: emptyRequestSchema,
    WebhookDelivery: webhookDeliverySchema,
    WebhookDeliveryDetail: webhookDeliveryDetailSchema,
    WebhookDeliveryList: deliveryListSchema,
    WebhookEvent: webhookEventSchema,
    EventList: eventListSchema,
    AuditEvent: auditEventSchema,
    AuditEventList: auditEventListSchema,
    LogEntries: logEntriesSchema,
    InclusionProof: inclusionProofSchema,
    ConsistencyProof: consistencyProofSchema,
    Checkpoint: checkpointSchema,
    LogKey: logKeySchema,
    AuditMetrics: auditMetricsSchema,
    Jwks: jwksSchema,
    Health: healthSchema,
    Ready: readySchema,
  };
  for (const [id, schema] of Object.entries(named)) registry.add(schema, { id });
  for (const event of webhookEventSchema.options) {
    registry.add(event, { id: eventComponentName(event.shape.type.value) });
  }
  return registry;
}

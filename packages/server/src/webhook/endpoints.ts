import type { WebhookEndpoint, webhookEndpointRequestSchema } from "@vergewis/sdk";
import type { z } from "zod";
import { auditLog } from "../audit/append.ts";
import type { Db, Tx } from "../db/client.ts";
import type { Effects } from "../db/transaction.ts";
import { ConflictError, NotFoundError } from "../errors.ts";
import { deadLetterEndpoint } from "./dead-letter.ts";
import { checkEndpointUrl } from "./endpoint-url.ts";
import { MAX_ENDPOINTS } from "./limits.ts";
import { endpointSelect, toEndpointResource } from "./resource.ts";
import { generateWebhookSecret, openSecret, sealSecret } from "./secret.ts";

export interface EndpointContext {
  serverSecret: Buffer;
  allowLoopbackHttp: boolean;
  allowPrivateNetworks: boolean;
}

export const DEFAULT_SECRET_OVERLAP_SECONDS = 86_400;

const live = (platformId: string, id: string) => ({ id, platformId, deletedAt: null });

export async function createEndpoint(
  tx: Tx,
  effects: Effects,
  ctx: EndpointContext,
  platformId: string,
  request: z.output<typeof webhookEndpointRequestSchema>,
): Promise<WebhookEndpoint> {
  const url = checkEndpointUrl(request.url, ctx);
  // Counted once the platform's row is locked, in a statement of its own (one taking the lock
  // would count from before its wait), so that two creations at once cannot both pass the cap: the
  // outbox makes one delivery id per endpoint up to it.
  await tx.$executeRaw`SELECT 1 FROM "Platform" WHERE id = ${platformId}::uuid FOR UPDATE`;
  const count = await tx.webhookEndpoint.count({ where: { platformId, deletedAt: null } });
  if (count >= MAX_ENDPOINTS) {
    throw new ConflictError("too_many_endpoints", `A platform can have at most ${MAX_ENDPOINTS} webhook endpoints.`);
  }
  const row = await tx.webhookEndpoint.create({
    data: {
      platformId,
      url,
      description: request.description ?? null,
      eventTypes: request.eventTypes ?? [],
      secret: sealSecret(ctx.serverSecret, platformId, generateWebhookSecret()),
    },
    select: endpointSelect,
  });
  effects.write(auditLog, {
    type: "webhook_endpoint.created",
    platformId,
    data: { endpointId: row.id, eventTypes: request.eventTypes ?? [] },
  });
  return toEndpointResource(row);
}

export async function listEndpoints(db: Db, platformId: string): Promise<WebhookEndpoint[]> {
  const rows = await db.webhookEndpoint.findMany({
    where: { platformId, deletedAt: null },
    orderBy: { id: "asc" },
    select: endpointSelect,
  });
  return rows.map((row) => toEndpointResource(row));
}

export async function getEndpoint(db: Db | Tx, platformId: string, id: string): Promise<WebhookEndpoint> {
  const row = await db.webhookEndpoint.findFirst({ where: live(platformId, id), select: endpointSelect });
  if (!row) throw new NotFoundError("webhook endpoint");
  return toEndpointResource(row);
}

/** The endpoint's current signing secret, in clear: only for answers to the platform that owns it. */
export async function revealSecret(db: Db, serverSecret: Buffer, platformId: string, id: string): Promise<string> {
  const row = await db.webhookEndpoint.findFirst({ where: live(platformId, id), select: { secret: true } });
  if (!row) throw new NotFoundError("webhook endpoint");
  return openSecret(serverSecret, platformId, row.secret);
}

/** Deletes an endpoint: what was still queued for it is dead-lettered (and stays listed). */
export async function deleteEndpoint(tx: Tx, effects: Effects, platformId: string, id: string): Promise<void> {
  const now = new Date();
  const { count } = await tx.webhookEndpoint.updateMany({ where: live(platformId, id), data: { deletedAt: now } });
  if (count === 0) throw new NotFoundError("webhook endpoint");
  effects.write(auditLog, { type: "webhook_endpoint.deleted", platformId, data: { endpointId: id } });
  await deadLetterEndpoint(tx, effects, id, "endpoint_deleted", now);
}

/**
 * A new signing secret. For `overlapSeconds` the old one signs too (two signatures per delivery),
 * so receivers can switch without missing or refusing an event.
 */
export async function rotateSecret(
  tx: Tx,
  effects: Effects,
  ctx: EndpointContext,
  platformId: string,
  id: string,
  overlapSeconds = DEFAULT_SECRET_OVERLAP_SECONDS,
): Promise<WebhookEndpoint> {
  // Locks the row: concurrent rotations happen one after the other, each keeping its predecessor.
  const current = await tx.$queryRaw<Array<{ secret: Uint8Array }>>`
    SELECT secret FROM "WebhookEndpoint"
    WHERE id = ${id}::uuid AND "platformId" = ${platformId}::uuid AND "deletedAt" IS NULL
    FOR UPDATE`;
  if (!current[0]) throw new NotFoundError("webhook endpoint");
  const expiresAt = new Date(Date.now() + overlapSeconds * 1000);
  const row = await tx.webhookEndpoint.update({
    where: { id },
    data: {
      secret: sealSecret(ctx.serverSecret, platformId, generateWebhookSecret()),
      previousSecret: overlapSeconds > 0 ? new Uint8Array(current[0].secret) : null,
      previousSecretExpiresAt: overlapSeconds > 0 ? expiresAt : null,
    },
    select: endpointSelect,
  });
  effects.write(auditLog, {
    type: "webhook_endpoint.secret_rotated",
    platformId,
    data: { endpointId: id, previousSecretExpiresAt: (overlapSeconds > 0 ? expiresAt : new Date()).toISOString() },
  });
  return toEndpointResource(row);
}

/** Sends to an endpoint again after it was disabled (410 Gone). Events meanwhile: `recover`. */
export async function enableEndpoint(
  tx: Tx,
  effects: Effects,
  platformId: string,
  id: string,
): Promise<WebhookEndpoint> {
  const { count } = await tx.webhookEndpoint.updateMany({
    where: { ...live(platformId, id), disabledAt: { not: null } },
    data: { disabledAt: null, disabledReason: null },
  });
  if (count === 1) effects.write(auditLog, { type: "webhook_endpoint.enabled", platformId, data: { endpointId: id } });
  return getEndpoint(tx, platformId, id);
}

export async function assertEndpointEnabled(db: Db | Tx, platformId: string, id: string): Promise<void> {
  const endpoint = await getEndpoint(db, platformId, id);
  if (endpoint.status !== "enabled") {
    throw new ConflictError("endpoint_disabled", "The webhook endpoint is disabled; enable it first.");
  }
}

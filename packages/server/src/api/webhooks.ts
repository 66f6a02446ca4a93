import { Router, type Request } from "express";
import {
  deliveryListQuerySchema,
  eventListQuerySchema,
  recoverRequestSchema,
  rotateSecretRequestSchema,
  webhookEndpointRequestSchema,
  type WebhookEndpoint,
} from "@vergewis/sdk";
import { z } from "zod";
import type { ServerContext } from "../context.ts";
import { runTransaction } from "../db/transaction.ts";
import { allowPrivateNetworks } from "../webhook/private-address.ts";
import { NotFoundError } from "../errors.ts";
import { sendJson, withIdempotency } from "../http/idempotency.ts";
import { platformOf } from "../http/platform-auth.ts";
import { parse } from "../http/validate.ts";
import { getDelivery, listDeliveries, recoverEndpoint, redeliver } from "../webhook/deliveries.ts";
import {
  createEndpoint,
  deleteEndpoint,
  enableEndpoint,
  getEndpoint,
  listEndpoints,
  revealSecret,
  rotateSecret,
  type EndpointContext,
} from "../webhook/endpoints.ts";
import { listEvents } from "../webhook/events.ts";

const idSchema = z.uuid();

/** Platform API: webhook endpoints, their deliveries and the event feed. Mounted behind platform auth. */
export function webhookRoutes(ctx: ServerContext): Router {
  const router = Router();
  const endpointContext: EndpointContext = {
    serverSecret: ctx.secret,
    allowLoopbackHttp: ctx.config.webhooks.allowLoopbackHttp ?? ctx.config.mode !== "production",
    allowPrivateNetworks: allowPrivateNetworks(ctx.config),
  };
  const id = (req: Request, what: string) => {
    const parsed = idSchema.safeParse(req.params.id);
    if (!parsed.success) throw new NotFoundError(what);
    return parsed.data;
  };
  // The secret is added to the answer after the transaction: it never rests in the idempotency
  // record, and a replay shows the endpoint's current secret.
  const withSecret = async (platformId: string, body: unknown) => {
    const endpoint = body as WebhookEndpoint;
    return { ...endpoint, secret: await revealSecret(ctx.db, ctx.secret, platformId, endpoint.id) };
  };

  router.post("/webhook-endpoints", async (req, res) => {
    const platform = platformOf(req);
    const request = parse(webhookEndpointRequestSchema, req.body, "body");
    const response = await withIdempotency(ctx.db, req, platform.id, async (tx, effects) => ({
      status: 201,
      body: await createEndpoint(tx, effects, endpointContext, platform.id, request),
    }));
    const body = await withSecret(platform.id, response.body);
    res.setHeader("Location", `${ctx.publicUrl}/v1/webhook-endpoints/${body.id}`);
    sendJson(res, { ...response, body });
  });

  router.get("/webhook-endpoints", async (req, res) => {
    res.json({ items: await listEndpoints(ctx.db, platformOf(req).id) });
  });

  router.get("/webhook-endpoints/:id", async (req, res) => {
    res.json(await getEndpoint(ctx.db, platformOf(req).id, id(req, "webhook endpoint")));
  });

  router.delete("/webhook-endpoints/:id", async (req, res) => {
    const endpointId = id(req, "webhook endpoint");
    await runTransaction(ctx.db, (tx, effects) => deleteEndpoint(tx, effects, platformOf(req).id, endpointId));
    res.status(204).end();
  });

  router.post("/webhook-endpoints/:id/rotate-secret", async (req, res) => {
    const platform = platformOf(req);
    const endpointId = id(req, "webhook endpoint");
    const { overlapSeconds } = parse(rotateSecretRequestSchema, req.body ?? {}, "body");
    const response = await withIdempotency(ctx.db, req, platform.id, async (tx, effects) => ({
      status: 200,
      body: await rotateSecret(tx, effects, endpointContext, platform.id, endpointId, overlapSeconds),
    }));
    sendJson(res, { ...response, body: await withSecret(platform.id, response.body) });
  });

  router.post("/webhook-endpoints/:id/enable", async (req, res) => {
    const platform = platformOf(req);
    const endpointId = id(req, "webhook endpoint");
    parse(z.strictObject({}), req.body ?? {}, "body");
    const response = await withIdempotency(ctx.db, req, platform.id, async (tx, effects) => ({
      status: 200,
      body: await enableEndpoint(tx, effects, platform.id, endpointId),
    }));
    sendJson(res, response);
  });

  router.post("/webhook-endpoints/:id/recover", async (req, res) => {
    const platform = platformOf(req);
    const endpointId = id(req, "webhook endpoint");
    const { since } = parse(recoverRequestSchema, req.body ?? {}, "body");
    const response = await withIdempotency(ctx.db, req, platform.id, async (tx, effects) => ({
      status: 202,
      body: {
        redelivered: await recoverEndpoint(tx, effects, platform.id, endpointId, since ? new Date(since) : undefined),
      },
    }));
    sendJson(res, response);
  });

  router.get("/webhook-deliveries", async (req, res) => {
    const query = parse(deliveryListQuerySchema, req.query, "query");
    res.json(await listDeliveries(ctx.db, platformOf(req).id, query));
  });

  router.get("/webhook-deliveries/:id", async (req, res) => {
    res.json(await getDelivery(ctx.db, platformOf(req).id, id(req, "webhook delivery")));
  });

  router.post("/webhook-deliveries/:id/redeliver", async (req, res) => {
    const platform = platformOf(req);
    const deliveryId = id(req, "webhook delivery");
    parse(z.strictObject({}), req.body ?? {}, "body");
    const response = await withIdempotency(ctx.db, req, platform.id, async (tx, effects) => ({
      status: 202,
      body: await redeliver(tx, effects, platform.id, deliveryId),
    }));
    sendJson(res, response);
  });

  router.get("/events", async (req, res) => {
    const query = parse(eventListQuerySchema, req.query, "query");
    res.json(await listEvents(ctx.db, platformOf(req).id, query));
  });

  return router;
}

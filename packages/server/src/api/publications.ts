import { Router } from "express";
import { checkRequestSchema, publicationListQuerySchema, publicationRequestSchema } from "@vergewis/sdk";
import { z } from "zod";
import type { ServerContext } from "../context.ts";
import { NotFoundError } from "../errors.ts";
import { sendJson, withIdempotency } from "../http/idempotency.ts";
import { sendPostJson } from "../http/json-response.ts";
import { platformOf } from "../http/platform-auth.ts";
import { parse } from "../http/validate.ts";
import { PublishCheck } from "../publication/check.ts";
import { createPublication } from "../publication/create.ts";
import { getPublication, listPublications } from "../publication/read.ts";

const idSchema = z.uuid();

/** Platform API: publication requests and the publish check. Mounted behind platform auth. */
export function publicationRoutes(ctx: ServerContext): Router {
  const router = Router();
  const publishCheck = new PublishCheck(ctx.db, { nearDuplicates: ctx.config.nearDuplicates });
  const createContext = {
    serverSecret: ctx.secret,
    publicUrl: ctx.publicUrl,
    invitationTtlDays: ctx.config.invitations.ttlDays,
    nearDuplicates: ctx.config.nearDuplicates,
    allowLoopbackHttp: ctx.config.mode !== "production",
  };

  router.post("/publications", async (req, res) => {
    const platform = platformOf(req);
    const request = parse(publicationRequestSchema, req.body, "body");
    const response = await withIdempotency(ctx.db, req, platform.id, async (tx, effects) => ({
      status: 201,
      body: await createPublication(tx, effects, createContext, platform.id, request),
    }));
    res.setHeader("Location", `${ctx.publicUrl}/v1/publications/${(response.body as { id: string }).id}`);
    sendJson(res, response);
  });

  router.get("/publications", async (req, res) => {
    const query = parse(publicationListQuerySchema, req.query, "query");
    res.json(await listPublications(ctx.db, platformOf(req).id, query));
  });

  router.get("/publications/:id", async (req, res) => {
    const id = idSchema.safeParse(req.params.id);
    if (!id.success) throw new NotFoundError("publication");
    res.json(await getPublication(ctx.db, platformOf(req).id, id.data));
  });

  router.post("/check", async (req, res) => {
    const { fingerprint, ...usage } = parse(checkRequestSchema, req.body, "body");
    sendPostJson(res, await publishCheck.check(platformOf(req).id, fingerprint, usage));
  });

  return router;
}

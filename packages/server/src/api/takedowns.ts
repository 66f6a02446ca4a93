import { Router } from "express";
import { takedownAckRequestSchema, takedownListQuerySchema } from "@vergewis/sdk";
import { z } from "zod";
import type { ServerContext } from "../context.ts";
import { NotFoundError } from "../errors.ts";
import { sendJson, withIdempotency } from "../http/idempotency.ts";
import { platformOf } from "../http/platform-auth.ts";
import { parse } from "../http/validate.ts";
import { acknowledgeTakedown } from "../takedown/acknowledge.ts";
import { getTakedown, listTakedowns } from "../takedown/read.ts";

const idSchema = z.uuid();

/** Platform API: takedowns and their acknowledgement. Mounted behind platform auth. */
export function takedownRoutes(ctx: ServerContext): Router {
  const router = Router();

  router.get("/takedowns", async (req, res) => {
    const query = parse(takedownListQuerySchema, req.query, "query");
    res.json(await listTakedowns(ctx.db, platformOf(req).id, query));
  });

  router.get("/takedowns/:id", async (req, res) => {
    const id = idSchema.safeParse(req.params.id);
    if (!id.success) throw new NotFoundError("takedown");
    res.json(await getTakedown(ctx.db, platformOf(req).id, id.data));
  });

  router.post("/takedowns/:id/ack", async (req, res) => {
    const platform = platformOf(req);
    const id = idSchema.safeParse(req.params.id);
    if (!id.success) throw new NotFoundError("takedown");
    const ack = parse(takedownAckRequestSchema, req.body, "body");
    const response = await withIdempotency(ctx.db, req, platform.id, async (tx, effects) => ({
      status: 200,
      body: await acknowledgeTakedown(tx, effects, platform.id, id.data, {
        removedAt: new Date(ack.removedAt),
        note: ack.note,
      }),
    }));
    sendJson(res, response);
  });

  return router;
}

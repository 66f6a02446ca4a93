import { Router } from "express";
import { STATUS_LIST_TYPE } from "@vergewis/sdk";
import { z } from "zod";
import { NotFoundError } from "../errors.ts";
import { etagOf, type StatusListTokens } from "../status-list/token.ts";

const idSchema = z.coerce
  .number()
  .int()
  .min(1)
  .max(2 ** 31 - 1);

/** Public: `GET /v1/status-lists/{id}`, cacheable by anyone for the list's ttl. */
export function statusListRoutes(tokens: StatusListTokens): Router {
  const router = Router();
  router.get("/v1/status-lists/:id", async (req, res) => {
    const id = idSchema.safeParse(req.params.id);
    if (!id.success || !/^\d+$/.test(req.params.id)) throw new NotFoundError("status list");
    const token = await tokens.token(id.data);
    if (!token) throw new NotFoundError("status list");
    const etag = etagOf(token);
    res.setHeader("Cache-Control", `public, max-age=${tokens.ttlSeconds}`);
    res.setHeader("ETag", etag);
    res.setHeader("Access-Control-Allow-Origin", "*");
    if (req.get("if-none-match") === etag) return void res.status(304).end();
    res.type(`application/${STATUS_LIST_TYPE}`).send(token);
  });
  return router;
}

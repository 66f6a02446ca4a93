import { Router } from "express";
import { reportListQuerySchema, reportResolutionSchema } from "@vergewis/sdk";
import { z } from "zod";
import type { ServerContext } from "../context.ts";
import { NotFoundError } from "../errors.ts";
import { sendJson, withIdempotency } from "../http/idempotency.ts";
import { platformOf } from "../http/platform-auth.ts";
import { parse } from "../http/validate.ts";
import { getReport, listReports } from "../report/read.ts";
import { resolveReport } from "../report/resolve.ts";

const idSchema = z.uuid();

/** Platform API: the reports about a platform's publications and their resolution. Behind platform auth. */
export function reportRoutes(ctx: ServerContext): Router {
  const router = Router();

  router.get("/reports", async (req, res) => {
    const query = parse(reportListQuerySchema, req.query, "query");
    res.json(await listReports(ctx.db, platformOf(req).id, query));
  });

  router.get("/reports/:id", async (req, res) => {
    const id = idSchema.safeParse(req.params.id);
    if (!id.success) throw new NotFoundError("report");
    res.json(await getReport(ctx.db, platformOf(req).id, id.data));
  });

  router.post("/reports/:id/resolve", async (req, res) => {
    const platform = platformOf(req);
    const id = idSchema.safeParse(req.params.id);
    if (!id.success) throw new NotFoundError("report");
    const resolution = parse(reportResolutionSchema, req.body, "body");
    const response = await withIdempotency(ctx.db, req, platform.id, async (tx, effects) => ({
      status: 200,
      body: await resolveReport(tx, effects, platform.id, id.data, resolution),
    }));
    sendJson(res, response);
  });

  return router;
}

import { Router } from "express";
import type { ServerContext } from "../context.ts";
import { logKeyResource, publishCheckpoint } from "../audit/checkpoint.ts";

/**
 * The public face of the log (/v1/log): its newest signed checkpoint and the key that signs it.
 * Anyone may read them; entries and proofs need an auditor token.
 */
export function logRoutes(ctx: ServerContext): Router {
  const router = Router();
  router.get("/checkpoint", async (_req, res) => {
    const newest =
      (await ctx.db.auditCheckpoint.findFirst({ orderBy: { treeSize: "desc" } })) ??
      (await publishCheckpoint(ctx.db, ctx.logSigner));
    res.setHeader("Cache-Control", "no-cache");
    res.type("text/plain; charset=utf-8").send(newest.note);
  });
  router.get("/key", async (_req, res) => {
    res.json(await logKeyResource(ctx.logSigner));
  });
  return router;
}

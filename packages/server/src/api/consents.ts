import { Router } from "express";
import { z } from "zod";
import type { ServerContext } from "../context.ts";
import { NotFoundError } from "../errors.ts";
import { platformOf } from "../http/platform-auth.ts";
import { listPublicationConsents } from "../consent/read.ts";

const idSchema = z.uuid();

/** Platform API: the consents (receipts) of a publication, to verify and cache for offline gating. */
export function platformConsentRoutes(ctx: ServerContext): Router {
  const router = Router();
  router.get("/publications/:id/consents", async (req, res) => {
    const id = idSchema.safeParse(req.params.id);
    if (!id.success) throw new NotFoundError("publication");
    res.json(await listPublicationConsents(ctx.db, platformOf(req).id, id.data));
  });
  return router;
}

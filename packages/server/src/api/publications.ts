import { Router, type Request } from "express";
import { checkRequestSchema, publicationListQuerySchema, publicationRequestSchema } from "@vergewis/sdk";
import { z } from "zod";
import type { ServerContext } from "../context.ts";
import { NotFoundError } from "../errors.ts";
import { sendJson, withIdempotency } from "../http/idempotency.ts";
import { sendPostJson } from "../http/json-response.ts";
import { platformOf } from "../http/platform-auth.ts";
import { rateLimit } from "../http/rate-limit.ts";
import { parse } from "../http/validate.ts";
import { PublishCheck } from "../publication/check.ts";
import { createPublication } from "../publication/create.ts";
import { getPublication, listPublications } from "../publication/read.ts";
import { reissueInvitation } from "../publication/reissue.ts";
import { preferredLocale } from "../web/i18n.ts";

const idSchema = z.uuid();
/** Reissues per slot and hour: each one mails a person, who should not be flooded. */
const REISSUES_PER_HOUR = 5;

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
  // A slot's mail is in its own language, else in the request's, else the server's.
  const mailLanguage = (req: Request) => preferredLocale(req.get("accept-language")) ?? ctx.config.mail.language;

  router.post("/publications", async (req, res) => {
    const platform = platformOf(req);
    const request = parse(publicationRequestSchema, req.body, "body");
    const response = await withIdempotency(ctx.db, req, platform.id, async (tx, effects) => {
      const created = await createPublication(
        tx,
        effects,
        { ...createContext, mailLanguage: mailLanguage(req) },
        platform.id,
        request,
      );
      // A replay answers without the uploader's code: it is not kept, not even there.
      return { status: 201, body: created, replay: { ...created, invitations: [] } };
    });
    res.setHeader("Location", `${ctx.publicUrl}/v1/publications/${(response.body as { id: string }).id}`);
    sendJson(res, response);
  });

  router.post(
    "/publications/:id/slots/:slotId/invitation",
    rateLimit(ctx, {
      name: "invitation-reissue",
      limit: REISSUES_PER_HOUR,
      windowMs: 3_600_000,
      key: (req) => `${platformOf(req).id}:${String(req.params.slotId)}`,
      detail: () => `At most ${REISSUES_PER_HOUR} new invitations per slot and hour.`,
    }),
    async (req, res) => {
      const platform = platformOf(req);
      const id = idSchema.safeParse(req.params.id);
      if (!id.success) throw new NotFoundError("publication");
      const slotId = idSchema.safeParse(req.params.slotId);
      if (!slotId.success) throw new NotFoundError("slot");
      parse(z.strictObject({}), req.body ?? {}, "body");
      const context = { serverSecret: ctx.secret, publicUrl: ctx.publicUrl, mailLanguage: mailLanguage(req) };
      const response = await withIdempotency(ctx.db, req, platform.id, async (tx, effects) => {
        const reissued = await reissueInvitation(tx, effects, context, platform.id, id.data, slotId.data);
        return { status: 200, body: reissued, replay: { ...reissued, invitation: null } };
      });
      sendJson(res, response);
    },
  );

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

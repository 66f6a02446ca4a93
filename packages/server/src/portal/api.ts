import { Router, type Request } from "express";
import { deleteAccount, deletionCeremony } from "../account/delete.ts";
import { exportPerformerData } from "../account/export.ts";
import type { ServerContext } from "../context.ts";
import { claimInvitation, openInvitation } from "../consent/invitation.ts";
import { declineRequest } from "../consent/decline.ts";
import { InvitationInvalidError, RequestNotFoundError } from "../consent/errors.ts";
import { revocationCeremony, revokeConsent } from "../consent/revoke.ts";
import { consentCeremony, signConsent } from "../consent/sign.ts";
import { getRequest, listConsents, listRequests } from "../consent/read.ts";
import { liftBlock, liftCeremony } from "../consent/lift.ts";
import { NotFoundError } from "../errors.ts";
import { jsonBody } from "../http/body.ts";
import { rateLimit } from "../http/rate-limit.ts";
import { parse } from "../http/validate.ts";
import { loginOptions, verifyLogin } from "../passkey/login.ts";
import { listPasskeys, removePasskey } from "../passkey/manage.ts";
import { registerPasskeyBodySchema, loginBodySchema } from "../passkey/schemas.ts";
import { registerPasskey, registrationOptions } from "../passkey/registration.ts";
import { adoptSession, clearSessionCookie, ensureSession, loggedIn, requireCsrf, sessionOf } from "./session.ts";
import { csrfToken, destroySession, rotateSession } from "../session/store.ts";
import { consentDetail } from "./consent-detail.ts";
import { overview } from "./overview.ts";
import { pendingInvitation } from "./pending-invitation.ts";
import { performerSummary } from "./performer.ts";
import { portalReportRoutes } from "./report-api.ts";
import {
  claimBodySchema,
  consentOptionsBodySchema,
  revocationOptionsBodySchema,
  signBodySchema,
  uuidParam,
} from "./schemas.ts";
import type { Performer } from "../identity/performer.ts";

/**
 * The performer's JSON API under `/portal/api`: session cookie plus `X-CSRF-Token` on every
 * state-changing request. The portal pages drive it; WebAuthn ceremonies run in two steps, options
 * then response, with server-side single-use challenges.
 */
export function portalApi(ctx: ServerContext): Router {
  const router = Router();
  router.use(jsonBody, requireCsrf(ctx));
  router.use((_req, res, next) => {
    res.setHeader("Cache-Control", "no-store");
    next();
  });
  const id = (req: Request, what: "request" | "consent" | "passkey") => {
    const parsed = uuidParam.safeParse(req.params.id);
    if (parsed.success) return parsed.data;
    throw what === "request" ? new RequestNotFoundError() : new NotFoundError(what);
  };
  const performer = (req: Request): Performer => {
    const session = loggedIn(req);
    return { performerId: session.performerId, sessionId: session.id };
  };
  const sessionBody = async (req: Request) => {
    const session = sessionOf(req)!;
    return {
      csrfToken: csrfToken(ctx.secret, session),
      performer: session.performerId ? await performerSummary(ctx, session.performerId) : null,
      invitationPending: session.pendingSlotId !== null,
    };
  };

  router.get("/session", async (req, res) => {
    await ensureSession(ctx, req, res);
    res.json(await sessionBody(req));
  });

  router.post("/logout", async (req, res) => {
    const session = sessionOf(req);
    if (session) await destroySession(ctx.db, session);
    clearSessionCookie(ctx, req, res);
    res.status(204).end();
  });

  const loginLimit = rateLimit(ctx, { name: "login", limit: ctx.config.rateLimits.login });
  router.post("/login/options", loginLimit, async (req, res) => {
    res.json(await loginOptions(ctx, sessionOf(req)!.id));
  });

  router.post("/login", loginLimit, async (req, res) => {
    const { response } = parse(loginBodySchema, req.body, "body");
    const session = sessionOf(req)!;
    const performerId = await verifyLogin(ctx, session.id, response);
    const issued = await ctx.db.$transaction((tx) =>
      rotateSession(tx, session, { performerId, authMethod: "passkey" }),
    );
    adoptSession(ctx, req, res, issued);
    res.json(await sessionBody(req));
  });

  router.get("/passkeys", async (req, res) => {
    res.json({ items: await listPasskeys(ctx.db, performer(req).performerId) });
  });

  router.post("/passkeys/options", async (req, res) => {
    const session = loggedIn(req);
    const { performerId } = session;
    res.json(await registrationOptions(ctx, session, performerId));
  });

  router.post("/passkeys", async (req, res) => {
    const session = loggedIn(req);
    const { performerId } = session;
    const { response } = parse(registerPasskeyBodySchema, req.body, "body");
    res.status(201).json(await registerPasskey(ctx, session, performerId, response));
  });

  router.delete("/passkeys/:id", async (req, res) => {
    await removePasskey(ctx.db, performer(req).performerId, id(req, "passkey"));
    res.status(204).end();
  });

  router.get("/invitation", async (req, res) => {
    const session = sessionOf(req);
    const pending =
      session?.pendingSlotId && (await pendingInvitation(ctx.db, session.pendingSlotId, session.performerId));
    if (!pending) throw new InvitationInvalidError();
    res.json({
      role: pending.role,
      expiresAt: pending.expiresAt,
      publication: { title: pending.title },
      platform: { name: pending.platform },
    });
  });

  router.post(
    "/invitations/claim",
    rateLimit(ctx, { name: "invitation-code", limit: ctx.config.rateLimits.invitations }),
    async (req, res) => {
      const session = loggedIn(req);
      const { performerId } = session;
      const { code } = parse(claimBodySchema, req.body ?? {}, "body");
      const slotId = code !== undefined ? await openInvitation(ctx, code, performerId) : session.pendingSlotId;
      if (!slotId) throw new InvitationInvalidError();
      await claimInvitation(ctx, performerId, slotId);
      if (session.pendingSlotId === slotId) {
        await ctx.db.portalSession.update({ where: { id: session.id }, data: { pendingSlotId: null } });
      }
      res.json(await getRequest(ctx.db, performerId, slotId));
    },
  );

  router.get("/requests", async (req, res) => {
    res.json({ items: await listRequests(ctx.db, performer(req).performerId) });
  });

  router.get("/requests/:id", async (req, res) => {
    res.json(await getRequest(ctx.db, performer(req).performerId, id(req, "request")));
  });

  router.post("/requests/:id/consent/options", async (req, res) => {
    const { verified } = parse(consentOptionsBodySchema, req.body ?? {}, "body");
    res.json(await consentCeremony(ctx, performer(req), id(req, "request"), verified));
  });

  router.post("/requests/:id/consent", async (req, res) => {
    const body = parse(signBodySchema, req.body, "body");
    res.status(201).json(await signConsent(ctx, performer(req), id(req, "request"), body));
  });

  router.post("/requests/:id/decline", async (req, res) => {
    res.json(await declineRequest(ctx, performer(req).performerId, id(req, "request")));
  });

  router.get("/consents", async (req, res) => {
    res.json({ items: await listConsents(ctx.db, performer(req).performerId) });
  });

  router.get("/consents/:id", async (req, res) => {
    res.json(await consentDetail(ctx.db, performer(req).performerId, id(req, "consent")));
  });

  router.post("/consents/:id/revocation/options", async (req, res) => {
    const options = parse(revocationOptionsBodySchema, req.body ?? {}, "body");
    res.json(await revocationCeremony(ctx, performer(req), id(req, "consent"), options));
  });

  router.post("/consents/:id/revocation", async (req, res) => {
    const body = parse(signBodySchema, req.body, "body");
    res.json(await revokeConsent(ctx, performer(req), id(req, "consent"), body));
  });

  router.post("/consents/:id/lift/options", async (req, res) => {
    res.json(await liftCeremony(ctx, performer(req), id(req, "consent")));
  });

  router.post("/consents/:id/lift", async (req, res) => {
    const body = parse(signBodySchema, req.body, "body");
    res.json(await liftBlock(ctx, performer(req), id(req, "consent"), body));
  });

  router.get("/overview", async (req, res) => {
    res.json(await overview(ctx.db, performer(req).performerId));
  });

  router.get("/export", async (req, res) => {
    res.json(await exportPerformerData(ctx, performer(req).performerId));
  });

  router.post("/account/deletion/options", async (req, res) => {
    res.json(await deletionCeremony(ctx, performer(req)));
  });

  router.post("/account/deletion", async (req, res) => {
    const body = parse(signBodySchema, req.body, "body");
    const deleted = await deleteAccount(ctx, performer(req), body);
    clearSessionCookie(ctx, req, res);
    res.json(deleted);
  });

  router.use(portalReportRoutes(ctx));

  return router;
}

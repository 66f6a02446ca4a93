import { latestAttestation } from "../../identity/attestation.ts";
import { ageAtProduction } from "../../identity/production-age.ts";
import express, { Router, type ErrorRequestHandler, type Request, type Response } from "express";
import { exportPerformerData } from "../../account/export.ts";
import type { ServerContext } from "../../context.ts";
import { declineRequest } from "../../consent/decline.ts";
import { InvitationInvalidError } from "../../consent/errors.ts";
import { claimInvitation, openInvitation } from "../../consent/invitation.ts";
import { getRequest } from "../../consent/read.ts";
import { NotFoundError } from "../../errors.ts";
import { httpStatus } from "../../http/problem.ts";
import { rateLimit } from "../../http/rate-limit.ts";
import { freshlyVerified } from "../../passkey/enrolment.ts";
import { listPasskeys } from "../../passkey/manage.ts";
import { portalReporter } from "../../report/reporter.ts";
import { LoginRequiredError } from "../../session/errors.ts";
import { clearSessionCookie, ensureSession, requireFormCsrf, sessionOf } from "../session.ts";
import { csrfToken, destroySession, type PortalSession } from "../../session/store.ts";
import { negotiateLocale } from "../../web/i18n.ts";
import { consentDetail } from "../consent-detail.ts";
import { overview } from "../overview.ts";
import { pendingInvitation } from "../pending-invitation.ts";
import { performerSummary, type PerformerSummary } from "../performer.ts";
import { uuidParam } from "../schemas.ts";
import { accountPage } from "./account-page.ts";
import { allowPage } from "./allow-page.ts";
import { consentPage } from "./consent-page.ts";
import { dashboardPage } from "./dashboard-page.ts";
import { dataPage } from "./data-page.ts";
import { deletePage } from "./delete-page.ts";
import { enterCodePage, invitationPage } from "./invitation-page.ts";
import { loginPage } from "./login-page.ts";
import { messagePage } from "./message-page.ts";
import { translate } from "./messages.ts";
import { onboardingPage, returningPage } from "./onboarding-page.ts";
import { requestPage } from "./request-page.ts";
import { reportPage } from "./report-page.ts";
import { reviewOrigins } from "./review-items.ts";
import { widenContentSecurityPolicy } from "../../web/csp.ts";
import { revokePage } from "./revoke-page.ts";
import type { View } from "./shell.ts";

interface LoggedInView extends View {
  performer: PerformerSummary;
  session: PortalSession & { performerId: string };
}

const send = (res: Response, markup: string, status = 200) => void res.status(status).type("html").send(markup);

/**
 * The performer portal's pages under `/portal`: server-rendered, Dutch and English, usable without
 * scripts except where a passkey is needed (static/portal/passkeys.js drives the JSON API then).
 * Forms that change something carry the session's CSRF token.
 */
export function portalPages(ctx: ServerContext): Router {
  const router = Router();
  const form = [express.urlencoded({ extended: false, limit: "4kb" }), requireFormCsrf(ctx)];
  const codeLimit = rateLimit(ctx, { name: "invitation-code", limit: ctx.config.rateLimits.invitations });

  router.use((_req, res, next) => {
    res.setHeader("Cache-Control", "no-store");
    next();
  });

  async function viewOf(req: Request, res: Response): Promise<View & { session: PortalSession }> {
    const session = await ensureSession(ctx, req, res);
    const locale = negotiateLocale(req, res);
    res.setHeader("Content-Language", locale);
    return {
      locale,
      t: translate(locale),
      path: req.originalUrl,
      csrfToken: csrfToken(ctx.secret, session),
      performer: session.performerId ? await performerSummary(ctx, session.performerId) : null,
      session,
    };
  }

  async function loggedInView(req: Request, res: Response): Promise<LoggedInView> {
    const view = await viewOf(req, res);
    if (!view.performer || !view.session.performerId) throw new LoginRequiredError();
    return view as LoggedInView;
  }

  const idOf = (req: Request, what: string) => {
    const parsed = uuidParam.safeParse(req.params.id);
    if (!parsed.success) throw new NotFoundError(what);
    return parsed.data;
  };
  const fresh = (view: LoggedInView) => view.performer.ageVerification?.fresh === true;
  const afterLogin = (session: PortalSession) => (session.pendingSlotId ? "/portal/invitation" : "/portal");

  router.get("/", async (req, res) => {
    const view = await loggedInView(req, res);
    if (view.performer.passkeys === 0) return res.redirect(303, "/portal/onboarding");
    send(res, dashboardPage(view, await overview(ctx.db, view.session.performerId)));
  });

  router.get("/login", async (req, res) => {
    const view = await viewOf(req, res);
    if (view.performer && view.performer.passkeys > 0) return res.redirect(303, afterLogin(view.session));
    const pending = view.session.pendingSlotId
      ? await pendingInvitation(ctx.db, view.session.pendingSlotId, null)
      : undefined;
    send(res, loginPage(view, { invitation: pending ?? null, next: afterLogin(view.session) }));
  });

  // Open to everyone: signed in with a verified age, the report is a depicted person's.
  router.get("/report", async (req, res) => {
    const view = await viewOf(req, res);
    const reporter = await portalReporter(ctx.db, view.session.performerId);
    send(res, reportPage(view, { depictedPerson: reporter.kind === "depicted_person" }));
  });

  router.get("/onboarding", async (req, res) => {
    const view = await viewOf(req, res);
    if (view.performer && view.performer.passkeys > 0) {
      // Verified again just now, the way back in on a device without the passkey, and no passkey
      // added since: offer to add one.
      if (await returningAfterVerification(view.session))
        return send(res, returningPage(view, { next: afterLogin(view.session) }));
      return res.redirect(303, afterLogin(view.session));
    }
    const sealed = ctx.config.identity.sealIdentity;
    send(res, onboardingPage(view, { step: view.performer ? 2 : 1, sealed, next: afterLogin(view.session) }));
  });

  router.get("/invitation", async (req, res) => {
    const view = await viewOf(req, res);
    const slotId = view.session.pendingSlotId;
    if (!slotId) return send(res, enterCodePage(view));
    const performerId = view.session.performerId;
    const pending = await pendingInvitation(ctx.db, slotId, performerId);
    if (!pending) {
      await forgetInvitation(view.session);
      return send(res, enterCodePage(view, true), httpStatus(new InvitationInvalidError()));
    }
    if (view.performer && view.performer.passkeys === 0) return res.redirect(303, "/portal/onboarding");
    if (pending.held) {
      await forgetInvitation(view.session);
      return res.redirect(303, `/portal/requests/${slotId}`);
    }
    send(res, invitationPage(view, pending));
  });

  // A typed code works like the link: it is remembered in this browser's session.
  router.post("/invitation", codeLimit, ...form, async (req, res) => {
    const view = await viewOf(req, res);
    const { code } = req.body as { code?: unknown };
    try {
      if (typeof code !== "string" || code.length > 64) throw new InvitationInvalidError();
      const slotId = await openInvitation(ctx, code, view.session.performerId);
      await ctx.db.portalSession.update({ where: { id: view.session.id }, data: { pendingSlotId: slotId } });
    } catch (error) {
      if (!(error instanceof InvitationInvalidError)) throw error;
      return send(res, enterCodePage(view, true), httpStatus(error));
    }
    res.redirect(303, "/portal/invitation");
  });

  router.post("/invitation/accept", ...form, async (req, res) => {
    const view = await loggedInView(req, res);
    const slotId = view.session.pendingSlotId;
    if (!slotId) throw new InvitationInvalidError();
    await claimInvitation(ctx, view.session.performerId, slotId);
    await forgetInvitation(view.session);
    res.redirect(303, `/portal/requests/${slotId}`);
  });

  router.get("/requests/:id", async (req, res) => {
    const view = await loggedInView(req, res);
    const request = await getRequest(ctx.db, view.session.performerId, idOf(req, "request"));
    const attestation = await latestAttestation(ctx.db, view.session.performerId);
    const production = attestation ? ageAtProduction(attestation, request.publication.producedAt) : "unverified";
    // The browser fetches the content items from the platform's review URLs and shows the checked
    // bytes from blob: URLs; this page alone may reach exactly those origins.
    const origins = reviewOrigins(request.publication.reviewItems);
    if (origins.length > 0) {
      widenContentSecurityPolicy(res, { "connect-src": origins, "img-src": ["blob:"], "media-src": ["blob:"] });
    }
    send(res, requestPage(view, request, { fresh: fresh(view), production }));
  });

  router.post("/requests/:id/decline", ...form, async (req, res) => {
    const view = await loggedInView(req, res);
    const slotId = idOf(req, "request");
    await declineRequest(ctx, view.session.performerId, slotId);
    res.redirect(303, `/portal/requests/${slotId}`);
  });

  router.get("/consents/:id", async (req, res) => {
    const view = await loggedInView(req, res);
    send(res, consentPage(view, await consentDetail(ctx.db, view.session.performerId, idOf(req, "consent"))));
  });

  router.get("/consents/:id/revoke", async (req, res) => {
    const view = await loggedInView(req, res);
    send(res, revokePage(view, await consentDetail(ctx.db, view.session.performerId, idOf(req, "consent"))));
  });

  router.get("/consents/:id/allow", async (req, res) => {
    const view = await loggedInView(req, res);
    send(res, allowPage(view, await consentDetail(ctx.db, view.session.performerId, idOf(req, "consent"))));
  });

  router.get("/data", async (req, res) => {
    const view = await loggedInView(req, res);
    send(res, dataPage(view, view.performer.pseudonym));
  });

  router.get("/data/export", async (req, res) => {
    const view = await loggedInView(req, res);
    const data = await exportPerformerData(ctx, view.session.performerId);
    const day = data.exportedAt.slice(0, 10);
    res.setHeader("Content-Disposition", `attachment; filename="vergewis-${data.performer.pseudonym}-${day}.json"`);
    res.type("application/json").send(JSON.stringify(data, null, 2));
  });

  router.get("/account", async (req, res) => {
    const view = await loggedInView(req, res);
    send(res, accountPage(view, await listPasskeys(ctx.db, view.session.performerId)));
  });

  router.get("/account/delete", async (req, res) => {
    const view = await loggedInView(req, res);
    const performerId = view.session.performerId;
    const [consents, slots] = await Promise.all([
      ctx.db.consent.findMany({
        where: { performerId, status: "active" },
        orderBy: { id: "asc" },
        select: { id: true, publication: { select: { title: true, platform: { select: { name: true } } } } },
      }),
      ctx.db.slot.findMany({
        where: { performerId, status: "open", expiresAt: { gt: new Date() }, publication: { status: "pending" } },
        orderBy: { id: "asc" },
        select: { publication: { select: { title: true } } },
      }),
    ]);
    send(
      res,
      deletePage(view, {
        revokes: consents.map((c) => ({
          consentId: c.id,
          title: c.publication.title,
          platform: c.publication.platform.name,
        })),
        declines: slots.map((s) => s.publication.title),
      }),
    );
  });

  router.get("/goodbye", async (req, res) => {
    const view = await viewOf(req, res);
    send(res, messagePage(view, view.t("goodbye.title"), view.t("goodbye.body"), view.t("goodbye.again")));
  });

  router.post("/logout", ...form, async (req, res) => {
    const session = sessionOf(req);
    if (session) await destroySession(ctx.db, session);
    clearSessionCookie(ctx, req, res);
    res.redirect(303, "/portal/login");
  });

  router.use((req, _res, next) => {
    // Unknown API routes answer in problem+json, from the app's own handler.
    if (req.path.startsWith("/api/")) return next();
    next(new NotFoundError(`page ${req.path}`));
  });
  // A session that ended sends the person to log in again; every other error is the app's page.
  router.use(((error, _req, res, next) => {
    if (error instanceof LoginRequiredError && !res.headersSent) return res.redirect(303, "/portal/login");
    next(error);
  }) satisfies ErrorRequestHandler);

  async function returningAfterVerification(session: PortalSession): Promise<boolean> {
    if (!freshlyVerified(session)) return false;
    const added = await ctx.db.passkey.count({
      where: { performerId: session.performerId!, createdAt: { gte: session.authenticatedAt! } },
    });
    return added === 0;
  }

  async function forgetInvitation(session: PortalSession) {
    await ctx.db.portalSession.update({ where: { id: session.id }, data: { pendingSlotId: null } });
  }

  return router;
}

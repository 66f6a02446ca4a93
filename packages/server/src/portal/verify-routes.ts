import { Router } from "express";
import { z } from "zod";
import type { ServerContext } from "../context.ts";
import { rateLimit } from "../http/rate-limit.ts";
import { adoptSession, ensureSession, sessionOf } from "./session.ts";
import { sendRefusal } from "./pages/refusal-page.ts";
import { VerificationFlowError } from "../identity/relying-party.ts";
import { callbackPath } from "../identity/services.ts";
import { completeVerification, startVerification } from "../identity/verify.ts";

// Portal paths only; no `.` or `..` segments that a browser would resolve elsewhere.
const RETURN_TO = /^\/portal(\/(?!\.{1,2}(?:\/|$))[A-Za-z0-9._~-]+)*\/?$/;

/**
 * The browser side of age verification: `/portal/verify/start` → the identity provider →
 * `/portal/verify/callback` → back into the portal, or a refusal page. Redirects, not JSON.
 */
export function verificationRoutes(ctx: ServerContext): Router {
  const router = Router();

  router.get(
    "/portal/verify/start",
    rateLimit(ctx, { name: "verify-start", limit: ctx.config.rateLimits.verification }),
    async (req, res) => {
      const requested = typeof req.query.returnTo === "string" ? req.query.returnTo : undefined;
      const returnTo = requested && RETURN_TO.test(requested) ? requested : "/portal";
      // The request the verification is for (its production date is checked too); anything else is ignored.
      const slot = z.uuid().safeParse(req.query.for);
      const session = await ensureSession(ctx, req, res);
      let url: URL;
      try {
        url = await startVerification(ctx, session, returnTo, slot.success ? slot.data : undefined);
      } catch (error) {
        if (error instanceof VerificationFlowError) return sendRefusal(req, res, error.reason);
        throw error;
      }
      res.setHeader("Cache-Control", "no-store");
      res.redirect(303, url.href);
    },
  );

  router.get(callbackPath, async (req, res) => {
    const search = req.originalUrl.includes("?") ? req.originalUrl.slice(req.originalUrl.indexOf("?") + 1) : "";
    const outcome = await completeVerification(ctx, sessionOf(req), search);
    if (!outcome.verified) return sendRefusal(req, res, outcome.reason);
    adoptSession(ctx, req, res, outcome.session);
    res.setHeader("Cache-Control", "no-store");
    res.redirect(303, outcome.returnTo);
  });

  return router;
}

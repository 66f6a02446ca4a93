import { Router, type Request, type RequestHandler } from "express";
import { reportRequestSchema } from "@vergewis/sdk";
import type { ServerContext } from "../context.ts";
import { runTransaction } from "../db/transaction.ts";
import { UnauthenticatedError, VergewisError } from "../errors.ts";
import { jsonBody } from "../http/body.ts";
import { sendJson } from "../http/idempotency.ts";
import { reportLimit } from "../http/report-limit.ts";
import { parse } from "../http/validate.ts";
import { authenticateFlagger, type TrustedFlagger } from "../report/flagger.ts";
import type { Reporter } from "../report/reporter.ts";
import { submitNotice } from "../report/submit.ts";

const flaggers = new WeakMap<Request, TrustedFlagger>();

/** A trusted flagger's token is optional; a token that is sent must be valid (no silent downgrade). */
function flaggerAuth(ctx: ServerContext): RequestHandler {
  return async (req, res, next) => {
    const header = req.headers.authorization;
    if (header === undefined) return next();
    const match = /^Bearer ([^\s]+)$/i.exec(header);
    const flagger = match ? await authenticateFlagger(ctx.db, match[1]!) : undefined;
    if (!flagger) {
      res.setHeader("WWW-Authenticate", 'Bearer realm="vergewis", error="invalid_token"');
      return next(
        new UnauthenticatedError(
          "The trusted flagger token is not valid, or it was revoked. Leave it out to report anonymously.",
        ),
      );
    }
    flaggers.set(req, flagger);
    next();
  };
}

/**
 * Public notice and action (DSA art. 16): `POST /v1/reports`, no account. Rate-limited per client
 * IP address (IPv6 per /56), or per flagger with a higher limit, counted across all instances.
 */
export function publicReportRoutes(ctx: ServerContext): Router {
  const router = Router();
  const { trustedFlaggerSla } = ctx.config.reports;
  const limiter = reportLimit(ctx, (req) => flaggers.get(req));

  router.post("/v1/reports", flaggerAuth(ctx), limiter, ...jsonBody, async (req, res) => {
    const request = parse(reportRequestSchema, req.body, "body");
    const flagger = flaggers.get(req);
    const reporter: Reporter = flagger ? { kind: "trusted_flagger", flagger } : { kind: "anonymous" };
    const receipt = await runTransaction(ctx.db, (tx, effects) =>
      submitNotice(tx, effects, { trustedFlaggerSla, nearDuplicates: ctx.config.nearDuplicates }, request, reporter),
    );
    res.setHeader("Cache-Control", "no-store");
    sendJson(res, { status: 202, body: receipt });
  });

  return router;
}

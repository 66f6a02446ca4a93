import { Router } from "express";
import type { ServerContext } from "../context.ts";
import { runTransaction } from "../db/transaction.ts";
import { reportLimit } from "../http/report-limit.ts";
import { parse } from "../http/validate.ts";
import { submitHashReport } from "../report/by-hash.ts";
import { portalReporter } from "../report/reporter.ts";
import { sessionOf } from "./session.ts";
import { hashReportBodySchema } from "./schemas.ts";

/**
 * `POST /portal/api/reports`: a report by hash from the portal's "report a picture" page. A
 * performer signed in whose age was verified reports as a depicted person (the content is refused
 * at once); anyone else anonymously (the content is put under review). Counted against the same
 * per-address limit as `POST /v1/reports`, in PostgreSQL across all instances.
 */
export function portalReportRoutes(ctx: ServerContext): Router {
  const router = Router();
  const { trustedFlaggerSla } = ctx.config.reports;
  const limiter = reportLimit(ctx);
  router.post("/reports", limiter, async (req, res) => {
    const body = parse(hashReportBodySchema, req.body, "body");
    const reporter = await portalReporter(ctx.db, sessionOf(req)?.performerId ?? null);
    const receipt = await runTransaction(ctx.db, (tx, effects) =>
      submitHashReport(tx, effects, { trustedFlaggerSla, nearDuplicates: ctx.config.nearDuplicates }, body, reporter),
    );
    res.status(202).json(receipt);
  });
  return router;
}

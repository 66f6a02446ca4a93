import { Router } from "express";
import {
  auditEventQuerySchema,
  auditExportQuerySchema,
  auditMetricsQuerySchema,
  consistencyProofQuerySchema,
  inclusionProofQuerySchema,
  logEntriesQuerySchema,
  logInclusionQuerySchema,
  monthlyReportQuerySchema,
} from "@vergewis/sdk";
import { z } from "zod";
import type { ServerContext } from "../context.ts";
import { NotFoundError } from "../errors.ts";
import { notFound } from "../http/problem.ts";
import { sendDownload } from "../http/download.ts";
import { parse } from "../http/validate.ts";
import { negotiateLocale } from "../web/i18n.ts";
import { auditorAuth, auditorOf } from "../http/auditor-auth.ts";
import { checkpointResource, publishCheckpoint } from "../audit/checkpoint.ts";
import { translate } from "../console/messages.ts";
import { REPORT_CSP, reportDocument } from "../console/report-document.ts";
import { monthlyReportCsv } from "../audit-metrics/monthly-csv.ts";
import { consistencyFor, inclusionFor, logEntries, logInclusion } from "../audit/proofs.ts";
import { findEvent, listEvents } from "../audit/query.ts";
import { exportEvents } from "../audit/export.ts";
import { metricsFor, monthlyReportFor } from "../audit-metrics/service.ts";

const indexParam = z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
const DEFAULT_PAGE = 1000;

/** The auditor API (/v1/audit): read-only, every query limited to the token's scope. */
export function auditRoutes(ctx: ServerContext): Router {
  const router = Router();
  router.use(auditorAuth(ctx.db));
  router.use((_req, res, next) => {
    res.setHeader("Cache-Control", "no-store");
    next();
  });

  router.get("/events", async (req, res) => {
    res.json(await listEvents(ctx.db, auditorOf(req).scope, parse(auditEventQuerySchema, req.query, "query")));
  });

  router.get("/events/:index", async (req, res) => {
    const index = indexParam.safeParse(req.params.index);
    const event = index.success ? await findEvent(ctx.db, auditorOf(req).scope, index.data) : null;
    if (!event) throw new NotFoundError("log entry");
    res.json(event);
  });

  router.get("/export", async (req, res) => {
    await sendDownload(
      res,
      exportEvents(ctx.db, auditorOf(req).scope, parse(auditExportQuerySchema, req.query, "query")),
    );
  });

  router.get("/log/entries", async (req, res) => {
    const { start, limit } = parse(logEntriesQuerySchema, req.query, "query");
    res.json(await logEntries(ctx.db, auditorOf(req).scope, start, limit ?? DEFAULT_PAGE));
  });

  router.get("/log/inclusion", async (req, res) => {
    const { index, treeSize } = parse(logInclusionQuerySchema, req.query, "query");
    res.json(await logInclusion(ctx.db, index, treeSize));
  });

  router.post("/checkpoint", async (_req, res) => {
    res.json(checkpointResource(await publishCheckpoint(ctx.db, ctx.logSigner), ctx.logSigner.origin));
  });

  router.get("/proofs/inclusion", async (req, res) => {
    res.json(await inclusionFor(ctx, auditorOf(req).scope, parse(inclusionProofQuerySchema, req.query, "query")));
  });

  router.get("/proofs/consistency", async (req, res) => {
    res.json(await consistencyFor(ctx, parse(consistencyProofQuerySchema, req.query, "query")));
  });

  router.get("/metrics", async (req, res) => {
    res.json(await metricsFor(ctx, auditorOf(req).scope, parse(auditMetricsQuerySchema, req.query, "query")));
  });

  router.get("/reports/monthly", async (req, res) => {
    const query = parse(monthlyReportQuerySchema, req.query, "query");
    const report = await monthlyReportFor(ctx, auditorOf(req).scope, query);
    const format = query.format ?? (req.accepts(["html", "csv", "json"]) || "html");
    const name = `vergewis-report-${report.platform.id}-${report.month}`;
    if (format === "json") res.json(report);
    else if (format === "csv") {
      res.type("text/csv; charset=utf-8").setHeader("Content-Disposition", `attachment; filename="${name}.csv"`);
      res.send(monthlyReportCsv(report));
    } else {
      const locale = query.lang ?? negotiateLocale(req, res);
      res.setHeader("Content-Security-Policy", REPORT_CSP);
      res.type("html").send(reportDocument(report, locale, translate(locale)));
    }
  });

  router.use(notFound);
  return router;
}

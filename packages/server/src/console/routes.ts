import express, { Router, type Request, type RequestHandler, type Response } from "express";
import { auditEventQuerySchema, auditExportQuerySchema, monthlyReportQuerySchema } from "@vergewis/sdk";
import type { ServerContext } from "../context.ts";
import { NotFoundError, VergewisError } from "../errors.ts";
import { sendDownload } from "../http/download.ts";
import { rateLimit } from "../http/rate-limit.ts";
import { parse } from "../http/validate.ts";
import { readCookie } from "../web/cookies.ts";
import { negotiateLocale, type Locale } from "../web/i18n.ts";
import { sameOrigin as fromOrigin } from "../web/origin.ts";
import { auditorOf, setAuditor } from "../http/auditor-auth.ts";
import { auditorById, authenticateAuditor } from "../audit/auditor-token.ts";
import { publishCheckpoint } from "../audit/checkpoint.ts";
import { monthlyReportCsv } from "../audit-metrics/monthly-csv.ts";
import { findEvent, listEvents } from "../audit/query.ts";
import { exportEvents } from "../audit/export.ts";
import { metricsFor, monthlyReportFor, overdueTakedowns } from "../audit-metrics/service.ts";
import { inclusionProof } from "../audit/tree.ts";
import { dashboardPage } from "./dashboard-page.ts";
import { eventPage, eventsPage, searchFields } from "./events-page.ts";
import { loginPage } from "./login-page.ts";
import { translate, type Translate } from "./messages.ts";
import { consoleReportPage, reportsPage } from "./reports-page.ts";
import { readSession, SESSION_COOKIE, SESSION_SECONDS, sessionValue } from "./session.ts";

interface Language {
  locale: Locale;
  t: Translate;
}
const languages = new WeakMap<Request, Language>();
const languageOf = (req: Request): Language => languages.get(req) ?? { locale: "en", t: translate("en") };

/** Drops empty form fields (an empty search box means "any") and the language switch. */
const filled = (query: Request["query"]) =>
  Object.fromEntries(Object.entries(query).filter(([k, v]) => v !== "" && k !== "lang"));

const sendPage = (res: Response, markup: string) => void res.type("html").send(markup);

/** The auditor console (/audit): server-rendered pages, signed in with an auditor token. */
export function consoleRoutes(ctx: ServerContext): Router {
  const router = Router();
  const secure = ctx.publicUrl.startsWith("https:");
  const sessionCookie = (value: string, maxAge: number) =>
    `${SESSION_COOKIE}=${value}; Path=/audit; Max-Age=${maxAge}; HttpOnly; SameSite=Strict${secure ? "; Secure" : ""}`;

  router.use((req, res, next) => {
    const locale = negotiateLocale(req, res);
    languages.set(req, { locale, t: translate(locale) });
    res.setHeader("Content-Language", locale);
    res.setHeader("Cache-Control", "no-store");
    next();
  });

  // Forms post only from the console itself: SameSite=Strict cookies, and the browser's word on
  // where the post comes from.
  const fromConsole = fromOrigin(new URL(ctx.publicUrl).origin, true);
  const sameOrigin: RequestHandler = (req, _res, next) =>
    next(
      fromConsole(req)
        ? undefined
        : new VergewisError("cross_origin_request", "forbidden", "This form must be sent from the console."),
    );
  const form = express.urlencoded({ extended: false, limit: "4kb" });
  const loginLimit = rateLimit(ctx, { name: "console-login", limit: 30 });

  router.get("/login", (req, res) => {
    const { locale, t } = languageOf(req);
    sendPage(res, loginPage(locale, t, req.originalUrl));
  });

  router.post("/login", loginLimit, sameOrigin, form, async (req, res) => {
    const { token } = req.body as { token?: unknown };
    const auditor = typeof token === "string" ? await authenticateAuditor(ctx.db, token.trim()) : undefined;
    if (!auditor) {
      const { locale, t } = languageOf(req);
      return void res
        .status(401)
        .type("html")
        .send(loginPage(locale, t, "/audit/login", true));
    }
    res.append("Set-Cookie", sessionCookie(sessionValue(ctx.secret, auditor.tokenId), SESSION_SECONDS));
    res.redirect(303, "/audit");
  });

  router.post("/logout", sameOrigin, (_req, res) => {
    res.append("Set-Cookie", sessionCookie("", 0));
    res.redirect(303, "/audit/login");
  });

  router.use(async (req, res, next) => {
    const tokenId = readSession(ctx.secret, readCookie(req, SESSION_COOKIE));
    const auditor = tokenId ? await auditorById(ctx.db, tokenId) : undefined;
    if (!auditor) return res.redirect(303, "/audit/login");
    setAuditor(req, auditor);
    next();
  });

  router.get("/", async (req, res) => {
    const { locale, t } = languageOf(req);
    const auditor = auditorOf(req);
    const now = new Date();
    const metrics = await metricsFor(ctx, auditor.scope, {}, now);
    const checkpoint = await publishCheckpoint(ctx.db, ctx.logSigner);
    sendPage(
      res,
      dashboardPage(locale, t, req.originalUrl, auditor, {
        metrics,
        overdue: await overdueTakedowns(ctx, auditor.scope, Number(checkpoint.treeSize), now),
        checkpoint: {
          treeSize: Number(checkpoint.treeSize),
          rootHash: Buffer.from(checkpoint.rootHash).toString("base64"),
          note: checkpoint.note,
        },
        verifierKey: (await ctx.logSigner.key()).verifierKey,
        now,
      }),
    );
  });

  router.get("/events", async (req, res) => {
    const { locale, t } = languageOf(req);
    const query = filled(req.query);
    const list = await listEvents(ctx.db, auditorOf(req).scope, parse(auditEventQuerySchema, query, "query"));
    sendPage(res, eventsPage(locale, t, req.originalUrl, auditorOf(req), searchFields(query), list));
  });

  router.get("/events/:index", async (req, res) => {
    const { locale, t } = languageOf(req);
    const auditor = auditorOf(req);
    const index = Number(req.params.index);
    const event = Number.isSafeInteger(index) && index >= 0 ? await findEvent(ctx.db, auditor.scope, index) : null;
    if (!event) throw new NotFoundError("log entry");
    const checkpoint = await publishCheckpoint(ctx.db, ctx.logSigner);
    const treeSize = Number(checkpoint.treeSize);
    const { proof } = await inclusionProof(ctx.db, index, treeSize);
    sendPage(
      res,
      eventPage(locale, t, req.originalUrl, auditor, event, {
        treeSize,
        proof: proof.map((h) => Buffer.from(h).toString("base64")),
        checkpoint: checkpoint.note,
        verifierKey: (await ctx.logSigner.key()).verifierKey,
      }),
    );
  });

  router.get("/export", async (req, res) => {
    await sendDownload(
      res,
      exportEvents(ctx.db, auditorOf(req).scope, parse(auditExportQuerySchema, filled(req.query), "query")),
    );
  });

  router.get("/reports", async (req, res) => {
    const { locale, t } = languageOf(req);
    const { scope } = auditorOf(req);
    const platforms = await ctx.db.platform.findMany({
      where: scope.kind === "all" ? {} : { id: scope.platformId },
      select: { id: true, name: true },
      orderBy: { name: "asc" },
    });
    sendPage(
      res,
      reportsPage(locale, t, req.originalUrl, auditorOf(req), platforms, new Date().toISOString().slice(0, 7)),
    );
  });

  router.get("/reports/monthly", async (req, res) => {
    const { locale, t } = languageOf(req);
    const query = parse(monthlyReportQuerySchema, filled(req.query), "query");
    const report = await monthlyReportFor(ctx, auditorOf(req).scope, query);
    if (query.format === "csv") {
      res.type("text/csv; charset=utf-8");
      res.setHeader(
        "Content-Disposition",
        `attachment; filename="vergewis-report-${report.platform.id}-${report.month}.csv"`,
      );
      return void res.send(monthlyReportCsv(report));
    }
    sendPage(res, consoleReportPage(locale, t, req.originalUrl, auditorOf(req), report));
  });

  // Errors, this one included, become the console's page in the app's error handler.
  router.use((req, _res, next) => next(new NotFoundError(`page ${req.path}`)));
  return router;
}

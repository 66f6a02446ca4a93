import express, { Router, type Express } from "express";
import helmet from "helmet";
import { platformConsentRoutes } from "./consent/platform-routes.ts";
import type { ServerContext } from "./context.ts";
import { jsonBody } from "./http/body.ts";
import { consoleRoutes } from "./audit/console/routes.ts";
import { logRoutes } from "./audit/log-routes.ts";
import { auditRoutes } from "./audit/routes.ts";
import { healthRoutes } from "./http/health.ts";
import { platformAuth } from "./http/platform-auth.ts";
import { notFound, problemHandler } from "./http/problem.ts";
import { problemTypeRoutes } from "./http/problem-types.ts";
import { requestLogger } from "./http/request-log.ts";
import { verificationRoutes } from "./identity/routes.ts";
import { jwksRoutes } from "./keys/routes.ts";
import { portalApi } from "./portal/api.ts";
import { invitationLinks } from "./portal/links.ts";
import { portalPages } from "./portal/pages/routes.ts";
import { publicationRoutes } from "./publication/routes.ts";
import { portalSessions } from "./session/http.ts";
import { statusListRoutes } from "./status-list/routes.ts";
import { StatusListTokens } from "./status-list/token.ts";
import { publicReportRoutes } from "./report/public-routes.ts";
import { reportRoutes } from "./report/routes.ts";
import { takedownRoutes } from "./takedown/routes.ts";
import { assetRoutes } from "./web/assets.ts";
import { webhookRoutes } from "./webhook/routes.ts";

/** The whole HTTP surface. Stateless: any number of instances can serve one database. */
export function createApp(ctx: ServerContext): Express {
  const app = express();
  app.disable("x-powered-by");
  app.set("trust proxy", ctx.config.http.trustProxy);
  app.set("query parser", "simple");
  app.use(requestLogger(ctx.log));
  app.use(helmet({ contentSecurityPolicy: { useDefaults: false, directives: contentSecurityPolicy(ctx.publicUrl) } }));
  app.use(healthRoutes(ctx.db));
  app.use(problemTypeRoutes());
  app.use(assetRoutes());
  // Public endpoints first: everything else under /v1 needs a platform's API key.
  app.use(publicReportRoutes(ctx));

  // Public: anyone may verify receipts and revocation status.
  app.use(jwksRoutes(ctx.keys));
  app.use(statusListRoutes(new StatusListTokens(ctx.db, ctx.keys, ctx.publicUrl, ctx.config.statusList.ttlSeconds)));

  // Performers: cookie sessions, OIDC redirects, invitation links, the CSRF-protected JSON API and
  // the pages.
  app.use("/portal", portalSessions(ctx));
  app.use(verificationRoutes(ctx));
  app.use(invitationLinks(ctx));
  app.use("/portal/api", portalApi(ctx));
  app.use("/portal", portalPages(ctx));

  // Auditors: the public checkpoint, the auditor API (tokens) and the console (sessions).
  app.use("/v1/log", logRoutes(ctx));
  app.use("/v1/audit", auditRoutes(ctx));
  app.use("/audit", consoleRoutes(ctx));

  const platformApi = Router();
  platformApi.use(platformAuth(ctx.db), jsonBody);
  platformApi.use(publicationRoutes(ctx));
  platformApi.use(platformConsentRoutes(ctx));
  platformApi.use(webhookRoutes(ctx));
  platformApi.use(takedownRoutes(ctx));
  platformApi.use(reportRoutes(ctx));
  app.use("/v1", platformApi);

  app.use(notFound);
  app.use(problemHandler(ctx.publicUrl, ctx.log));
  return app;
}

/**
 * Pages load scripts and styles from this origin only, with no inline code; images may come from
 * https hosts (publication previews); nothing may frame the pages.
 */
function contentSecurityPolicy(publicUrl: string) {
  return {
    defaultSrc: ["'none'"],
    scriptSrc: ["'self'"],
    styleSrc: ["'self'"],
    imgSrc: ["'self'", "https:", "data:"],
    connectSrc: ["'self'"],
    formAction: ["'self'"],
    frameAncestors: ["'none'"],
    baseUri: ["'none'"],
    objectSrc: ["'none'"],
    ...(publicUrl.startsWith("https:") && { upgradeInsecureRequests: [] }),
  };
}

import express, { Router, type Express, type RequestHandler } from "express";
import helmet, { strictTransportSecurity } from "helmet";
import { platformConsentRoutes } from "./api/consents.ts";
import type { ServerContext } from "./context.ts";
import { jsonBody } from "./http/body.ts";
import { consoleErrorPage } from "./console/error-page.ts";
import { identityEncodingOnly } from "./http/content-encoding.ts";
import { decodablePath } from "./http/decodable-path.ts";
import { consoleRoutes } from "./console/routes.ts";
import { logRoutes } from "./api/log.ts";
import { auditRoutes } from "./api/audit.ts";
import { healthRoutes } from "./http/health.ts";
import { platformAuth } from "./http/platform-auth.ts";
import { errorHandler } from "./http/error-response.ts";
import { notFound } from "./http/problem.ts";
import { openApiRoutes } from "./openapi/routes.ts";
import { problemTypeRoutes } from "./http/problem-types.ts";
import { requestLogger } from "./http/request-log.ts";
import { verificationRoutes } from "./portal/verify-routes.ts";
import { jwksRoutes } from "./api/jwks.ts";
import { portalApi } from "./portal/api.ts";
import { invitationLinks } from "./portal/links.ts";
import { portalErrorPage } from "./portal/pages/error-page.ts";
import { portalPages } from "./portal/pages/routes.ts";
import { publicationRoutes } from "./api/publications.ts";
import { metricsRoute, requestMetrics } from "./http/metrics.ts";
import { portalSessions } from "./portal/session.ts";
import { statusListRoutes } from "./api/status-lists.ts";
import { StatusListTokens } from "./status-list/token.ts";
import { publicReportRoutes } from "./api/public-reports.ts";
import { reportRoutes } from "./api/reports.ts";
import { takedownRoutes } from "./api/takedowns.ts";
import { assetRoutes } from "./web/assets.ts";
import { webhookRoutes } from "./api/webhooks.ts";

/** The whole HTTP surface. Stateless: any number of instances can serve one database. */
export function createApp(ctx: ServerContext): Express {
  const app = express();
  app.disable("x-powered-by");
  app.set("trust proxy", ctx.config.http.trustProxy);
  app.set("query parser", "simple");
  app.use(requestLogger(ctx.log));
  app.use(requestMetrics(ctx.metrics));
  // Only behind a token here; the metrics listener of its own may serve them without one.
  if (ctx.config.metrics.token) app.use(metricsRoute(ctx.metrics, ctx.config.metrics.token));
  app.use(
    helmet({
      contentSecurityPolicy: { useDefaults: false, directives: contentSecurityPolicy(ctx.publicUrl) },
      strictTransportSecurity: false,
    }),
  );
  app.use(httpsOnlyHsts(ctx.publicUrl));
  // What no route can read is refused before routing: undecodable paths, encoded bodies.
  app.use(decodablePath, identityEncodingOnly);
  // The API under /v1 first, as it carries most of the traffic (no router below serves /v1): the
  // endpoints without a platform's key (flaggers' reports, status lists, the log's checkpoint, the
  // auditor API), then the platform API, whose key check answers every other /v1 path.
  app.use(publicReportRoutes(ctx));
  app.use(statusListRoutes(new StatusListTokens(ctx.db, ctx.keys, ctx.publicUrl, ctx.config.statusList.ttlSeconds)));
  app.use("/v1/log", logRoutes(ctx));
  app.use("/v1/audit", auditRoutes(ctx));
  app.use("/v1", platformApi(ctx));

  app.use(healthRoutes(ctx.db));
  app.use(problemTypeRoutes());
  app.use(openApiRoutes(ctx.publicUrl));
  app.use(assetRoutes());
  // Public: anyone may verify receipts (and revocation status, above).
  app.use(jwksRoutes(ctx.keys));

  // Performers: cookie sessions, OIDC redirects, invitation links, the CSRF-protected JSON API and
  // the pages.
  app.use("/portal", portalSessions(ctx));
  app.use(verificationRoutes(ctx));
  app.use(invitationLinks(ctx));
  app.use("/portal/api", portalApi(ctx));
  app.use("/portal", portalPages(ctx));
  // Auditors' console (sessions).
  app.use("/audit", consoleRoutes(ctx));

  app.use(notFound);
  // Errors on the pages are pages in the reader's language; everywhere else problem+json. The
  // portal's page comes first: it is also the page of a browser lost at an unknown address.
  app.use(
    errorHandler(ctx.publicUrl, ctx.log, [
      { prefix: "/portal", page: portalErrorPage(ctx) },
      { prefix: "/audit", page: consoleErrorPage },
    ]),
  );
  return app;
}

/** Platforms: everything under /v1 that no public router answered needs a platform's API key. */
function platformApi(ctx: ServerContext): Router {
  const router = Router();
  router.use(platformAuth(ctx.db), jsonBody);
  router.use(publicationRoutes(ctx));
  router.use(platformConsentRoutes(ctx));
  router.use(webhookRoutes(ctx));
  router.use(takedownRoutes(ctx));
  router.use(reportRoutes(ctx));
  return router;
}

/**
 * HSTS belongs to https answers only (RFC 6797 §7.2): over TLS, seen directly or through a trusted
 * proxy's X-Forwarded-Proto, or behind an https public URL, whose TLS ends in front of the server.
 */
function httpsOnlyHsts(publicUrl: string): RequestHandler {
  const hsts = strictTransportSecurity();
  const https = publicUrl.startsWith("https:");
  return (req, res, next) => (https || req.secure ? hsts(req, res, next) : next());
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

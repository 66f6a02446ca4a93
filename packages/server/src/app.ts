import express, { Router, type Express } from "express";
import helmet from "helmet";
import type { ServerContext } from "./context.ts";
import { jsonBody } from "./http/body.ts";
import { healthRoutes } from "./http/health.ts";
import { platformAuth } from "./http/platform-auth.ts";
import { notFound, problemHandler } from "./http/problem.ts";
import { problemTypeRoutes } from "./http/problem-types.ts";
import { requestLogger } from "./http/request-log.ts";
import { publicationRoutes } from "./publication/routes.ts";
import { assetRoutes } from "./web/assets.ts";

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

  const platformApi = Router();
  platformApi.use(platformAuth(ctx.db), jsonBody);
  platformApi.use(publicationRoutes(ctx));
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

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

/** The whole HTTP surface. Stateless: any number of instances can serve one database. */
export function createApp(ctx: ServerContext): Express {
  const app = express();
  app.disable("x-powered-by");
  app.set("trust proxy", ctx.config.http.trustProxy);
  app.set("query parser", "simple");
  app.use(requestLogger(ctx.log));
  app.use(helmet());
  app.use(healthRoutes(ctx.db));
  app.use(problemTypeRoutes());

  const platformApi = Router();
  platformApi.use(platformAuth(ctx.db), jsonBody);
  platformApi.use(publicationRoutes(ctx));
  app.use("/v1", platformApi);

  app.use(notFound);
  app.use(problemHandler(ctx.publicUrl, ctx.log));
  return app;
}

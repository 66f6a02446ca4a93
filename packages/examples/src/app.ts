import express, { type ErrorRequestHandler, type Express } from "express";
import helmet from "helmet";
import type { Gate, Vergewis } from "@vergewis/sdk";
import { mediaRoutes } from "./media/routes.ts";
import { messagePage } from "./pages/layout.ts";
import { FAVICON, LOCAL_TIME_SCRIPT, STYLESHEET } from "./pages/style.ts";
import type { UploadStore } from "./store.ts";
import { webhookReceiver } from "./takedowns/receiver.ts";
import type { TakeDown } from "./takedowns/take-down.ts";
import { uploadRoutes } from "./uploads/routes.ts";
import type { ReviewLinks } from "./review/links.ts";
import { reviewRoutes } from "./review/routes.ts";

export interface ExampleAppOptions {
  vergewis: Vergewis;
  gate: Gate;
  store: UploadStore;
  /** Uploaded files, one per upload, named by its id. */
  filesDir: string;
  maxUploadBytes: number;
  /** Removes an upload and acknowledges its takedown (`takeDown(…)`). */
  takeDown: TakeDown;
  /** The webhook endpoint's signing secrets; empty until the endpoint is registered. */
  webhookSecrets: () => readonly string[];
  reviewLinks: ReviewLinks;
  /** The Vergewis portal's origin, allowed to read review links (CORS). */
  portalOrigin: string;
}

/**
 * The example platform: upload → fingerprint → publication request (with a review link per file)
 * → the uploader's page with the invitations → public serving only while the gate allows → takedown webhooks (delete the file,
 * 410, acknowledge). It uses only the SDK's public API.
 */
export function createExampleApp(options: ExampleAppOptions): Express {
  const app = express();
  app.disable("x-powered-by");
  app.use(
    helmet({
      contentSecurityPolicy: { directives: { scriptSrc: ["'self'"], styleSrc: ["'self'"], formAction: ["'self'"] } },
    }),
  );
  app.get("/style.css", (_req, res) => {
    res.type("css").setHeader("Cache-Control", "public, max-age=3600").send(STYLESHEET);
  });
  app.get("/local-time.js", (_req, res) => {
    res.type("js").setHeader("Cache-Control", "public, max-age=3600").send(LOCAL_TIME_SCRIPT);
  });
  app.get(["/favicon.ico", "/favicon.svg"], (_req, res) => {
    res.type("image/svg+xml").setHeader("Cache-Control", "public, max-age=86400").send(FAVICON);
  });
  app.use(webhookReceiver({ ...options, secrets: options.webhookSecrets }));
  app.use(uploadRoutes(options));
  app.use(reviewRoutes({ ...options, links: options.reviewLinks }));
  app.use(mediaRoutes(options));
  app.use((_req, res) => {
    res.status(404).type("html").send(messagePage("Not found", "There is no such page."));
  });
  const onError: ErrorRequestHandler = (error: unknown, _req, res, next) => {
    if (res.headersSent) return next(error);
    console.error("example platform:", error);
    res.status(500).type("html").send(messagePage("Something went wrong", "That did not work. It has been logged."));
  };
  app.use(onError);
  return app;
}

import { timingSafeEqual, createHash } from "node:crypto";
import type { Request, RequestHandler } from "express";
import { Router } from "express";
import { UnauthenticatedError } from "../errors.ts";
import type { ServerMetrics } from "../prometheus/registry.ts";

const ROUTE = Symbol("route");
type Routed = Request & { [ROUTE]?: string };

/**
 * Times every request into `vergewis_http_request_duration_seconds`, labelled with the pattern of
 * the route that answered (`/v1/publications/:id`), never the URL: ids would make a series each.
 * Express sets `req.route` inside the router that matched, while `req.baseUrl` still holds that
 * router's mount path; the pattern is taken then, as an error answered later sees neither.
 */
export function requestMetrics(metrics: ServerMetrics): RequestHandler {
  return (req, res, next) => {
    const routed = req as Routed;
    let route: { path?: unknown } | undefined;
    Object.defineProperty(req, "route", {
      configurable: true,
      enumerable: true,
      get: () => route,
      set(value: { path?: unknown } | undefined) {
        route = value;
        if (value) routed[ROUTE] = `${req.baseUrl}${String(value.path)}`;
      },
    });
    const end = metrics.httpRequestDuration.startTimer({ method: req.method });
    res.on("close", () =>
      end({ route: routed[ROUTE] ?? "unmatched", status: res.writableFinished ? String(res.statusCode) : "aborted" }),
    );
    next();
  };
}

/**
 * `GET /metrics` in Prometheus's text format. With a token, only to `Authorization: Bearer
 * <token>` (compared in constant time); `token` undefined serves everyone who reaches the
 * listener, which only the metrics listener of its own may do.
 */
export function metricsRoute(metrics: ServerMetrics, token: string | undefined): Router {
  const router = Router();
  const expected = token === undefined ? undefined : digest(token);
  router.get("/metrics", async (req, res) => {
    if (expected) {
      const match = /^Bearer (\S+)$/i.exec(req.headers.authorization ?? "");
      if (!match || !timingSafeEqual(digest(match[1]!), expected)) {
        res.setHeader("WWW-Authenticate", 'Bearer realm="vergewis-metrics"');
        throw new UnauthenticatedError("Send the metrics token as `Authorization: Bearer …`.");
      }
    }
    const body = await metrics.registry.metrics();
    res.setHeader("Content-Type", metrics.registry.contentType);
    res.setHeader("Cache-Control", "no-store");
    res.send(body);
  });
  return router;
}

// Equal lengths for timingSafeEqual, whatever was sent.
const digest = (value: string) => createHash("sha256").update(value).digest();

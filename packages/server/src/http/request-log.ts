import { randomUUID } from "node:crypto";
import type { ServerResponse } from "node:http";
import type { Request, RequestHandler } from "express";
import type { Logger } from "pino";

declare module "node:http" {
  interface IncomingMessage {
    /** This request's id: its sane X-Request-Id, or a fresh one (http/request-log.ts). */
    id: string;
  }
}

const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;
const STARTED = Symbol("started");
type Timed = ServerResponse & { [STARTED]?: number };

/**
 * Path segments and query parameters that carry secrets (invitation codes, OAuth codes and state)
 * are replaced before a URL is logged.
 */
export function redactUrl(url: string): string {
  const [path = "", query] = url.split("?", 2);
  const safePath = path.replace(/\/portal\/i\/[^/]+/, "/portal/i/[redacted]");
  if (query === undefined) return safePath;
  const params = new URLSearchParams(query);
  for (const name of [...params.keys()]) params.set(name, "[redacted]");
  return `${safePath}?${params.toString().replaceAll("%5Bredacted%5D", "[redacted]")}`;
}

/**
 * One log line per request when it ends (answered, or its connection lost), with a request id
 * (taken from X-Request-Id when sane) echoed back. Only method, redacted URL and status are
 * logged, never headers or bodies. Nothing is built for a request whose line the level drops.
 */
export function requestLogger(log: Logger): RequestHandler {
  // Once per app, not per request: the response carries what the line needs.
  function logCompletion(this: Timed) {
    const level = this.statusCode >= 500 ? "error" : "info";
    if (!log.isLevelEnabled(level)) return;
    const req = this.req as Request;
    log[level](
      {
        req: { id: req.id, method: req.method, url: redactUrl(req.originalUrl) },
        res: { statusCode: this.statusCode },
        responseTime: Date.now() - this[STARTED]!,
      },
      this.writableFinished ? "request completed" : "request aborted",
    );
  }

  return (req, res, next) => {
    const incoming = req.headers["x-request-id"];
    req.id = typeof incoming === "string" && REQUEST_ID.test(incoming) ? incoming : randomUUID();
    res.setHeader("X-Request-Id", req.id);
    if (log.isLevelEnabled("error")) {
      (res as Timed)[STARTED] = Date.now();
      res.on("close", logCompletion);
    }
    next();
  };
}

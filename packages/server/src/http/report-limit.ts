import type { Request, RequestHandler } from "express";
import { ipKeyGenerator } from "express-rate-limit";
import type { ServerContext } from "../context.ts";
import { rateLimit } from "./rate-limit.ts";

// Trusted flaggers report in bulk (hotlines forward many notices); their limit is this much higher.
const FLAGGER_LIMIT_FACTOR = 100;

/**
 * The one limit on reports, `POST /v1/reports` and the portal's report by hash together: per
 * client IP address (IPv6 per /56), or per trusted flagger (`flaggerOf`) with a higher limit,
 * counted in PostgreSQL across all instances.
 */
export function reportLimit(
  ctx: Pick<ServerContext, "db" | "secret" | "config">,
  flaggerOf: (req: Request) => { id: string } | undefined = () => undefined,
): RequestHandler {
  const { rateLimit: limit, rateLimitWindow } = ctx.config.reports;
  return rateLimit(ctx, {
    name: "reports",
    windowMs: rateLimitWindow,
    limit: (req) => (flaggerOf(req) ? limit * FLAGGER_LIMIT_FACTOR : limit),
    key: (req) => {
      const flagger = flaggerOf(req);
      return flagger ? `flagger:${flagger.id}` : ipKeyGenerator(req.ip ?? "unknown", 56);
    },
    detail: (windowMs) => `Too many reports from here; try again in ${Math.ceil(windowMs / 60_000)} minutes.`,
  });
}

import { createHmac } from "node:crypto";
import type { Request, RequestHandler } from "express";
import { rateLimit as expressRateLimit, type ClientRateLimitInfo, type Options, type Store } from "express-rate-limit";
import type { Db } from "../db/client.ts";
import { VergewisError } from "../errors.ts";

export class RateLimitedError extends VergewisError<"rate_limited"> {
  constructor(detail = "Too many attempts. Wait a moment and try again.") {
    super("rate_limited", "rate_limited", detail);
  }
}

/**
 * Fixed-window counters in PostgreSQL, so that every server instance counts together. Keys are
 * HMACs under the server secret: client IP addresses are personal data and are not stored.
 */
class PostgresStore implements Store {
  readonly localKeys = false;
  #windowMs = 60_000;

  constructor(
    private readonly db: Db,
    private readonly secret: Buffer,
    readonly prefix: string,
  ) {}

  init(options: Options): void {
    this.#windowMs = options.windowMs;
  }

  #key(key: string): string {
    return createHmac("sha256", this.secret).update(`rate:${this.prefix}:${key}`).digest("base64url");
  }

  async increment(key: string): Promise<ClientRateLimitInfo> {
    const window = `${this.#windowMs} milliseconds`;
    const [row] = await this.db.$queryRaw<Array<{ hits: number; resetAt: Date }>>`
      INSERT INTO "RateLimit" ("key", "hits", "resetAt") VALUES (${this.#key(key)}, 1, now() + ${window}::interval)
      ON CONFLICT ("key") DO UPDATE SET
        "hits" = CASE WHEN "RateLimit"."resetAt" <= now() THEN 1 ELSE "RateLimit"."hits" + 1 END,
        "resetAt" = CASE WHEN "RateLimit"."resetAt" <= now() THEN now() + ${window}::interval ELSE "RateLimit"."resetAt" END
      RETURNING "hits", "resetAt"`;
    if (Math.random() < 0.01) await this.db.rateLimit.deleteMany({ where: { resetAt: { lte: new Date() } } });
    return { totalHits: row!.hits, resetTime: row!.resetAt };
  }

  async decrement(key: string): Promise<void> {
    await this.db.rateLimit.updateMany({
      where: { key: this.#key(key), hits: { gt: 0 } },
      data: { hits: { decrement: 1 } },
    });
  }

  async resetKey(key: string): Promise<void> {
    await this.db.rateLimit.deleteMany({ where: { key: this.#key(key) } });
  }
}

export interface RateLimit {
  /** Names the counters: limits with different names count apart. */
  name: string;
  /** Requests per window, or per window for this request's client. */
  limit: number | ((req: Request) => number);
  /** One minute unless given. */
  windowMs?: number;
  /** Who is counted; the client IP address (IPv6 per /56) unless given. */
  key?: (req: Request) => string;
  /** The refusal's detail. */
  detail?: (windowMs: number) => string;
}

/**
 * At most `limit` requests per client and window, counted in PostgreSQL across all instances;
 * then 429 problem+json (or the page of the app that mounted it).
 */
export function rateLimit(ctx: { db: Db; secret: Buffer }, options: RateLimit): RequestHandler {
  return expressRateLimit({
    windowMs: options.windowMs ?? 60_000,
    limit: options.limit,
    ...(options.key && { keyGenerator: options.key }),
    standardHeaders: "draft-8",
    legacyHeaders: false,
    identifier: options.name,
    store: new PostgresStore(ctx.db, ctx.secret, options.name),
    handler: (_req, _res, next, { windowMs }) => next(new RateLimitedError(options.detail?.(windowMs))),
  });
}

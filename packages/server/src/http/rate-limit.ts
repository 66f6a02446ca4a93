import { createHmac } from "node:crypto";
import type { RequestHandler } from "express";
import { rateLimit as expressRateLimit, type ClientRateLimitInfo, type Options, type Store } from "express-rate-limit";
import type { ServerContext } from "../context.ts";
import type { Db } from "../db/client.ts";
import { VergewisError } from "../errors.ts";

export class RateLimitedError extends VergewisError<"rate_limited"> {
  constructor() {
    super("rate_limited", "rate_limited", "Too many attempts. Wait a moment and try again.");
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

/** At most `limit` requests per client IP address and minute, across all instances; then 429 problem+json. */
export function rateLimit(ctx: ServerContext, name: string, limit: number): RequestHandler {
  return expressRateLimit({
    windowMs: 60_000,
    limit,
    standardHeaders: "draft-8",
    legacyHeaders: false,
    identifier: name,
    store: new PostgresStore(ctx.db, ctx.secret, name),
    handler: (_req, _res, next) => next(new RateLimitedError()),
  });
}

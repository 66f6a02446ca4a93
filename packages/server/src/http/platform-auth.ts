import type { Request, RequestHandler } from "express";
import type { Db } from "../db/client.ts";
import { UnauthenticatedError } from "../errors.ts";
import { ApiKeyAuthenticator, type AuthenticatedPlatform } from "../platform/api-key.ts";

const platforms = new WeakMap<Request, AuthenticatedPlatform>();

/** Bearer API key authentication (RFC 6750) for the platform API. */
export function platformAuth(db: Db): RequestHandler {
  const keys = new ApiKeyAuthenticator(db);
  return async (req, res, next) => {
    const match = /^Bearer ([^\s]+)$/i.exec(req.headers.authorization ?? "");
    if (!match) return next(new UnauthenticatedError("Send your API key as `Authorization: Bearer vgw_live_…`."));
    const platform = await keys.authenticate(match[1]!);
    if (!platform) {
      res.setHeader("WWW-Authenticate", 'Bearer realm="vergewis", error="invalid_token"');
      return next(new UnauthenticatedError("The API key is not valid, or it was revoked."));
    }
    platforms.set(req, platform);
    next();
  };
}

/** The platform that `platformAuth` authenticated for this request. */
export function platformOf(req: Request): AuthenticatedPlatform {
  const platform = platforms.get(req);
  if (!platform) throw new Error("platformAuth must run before this handler");
  return platform;
}

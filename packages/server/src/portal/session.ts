import type { Request, RequestHandler, Response } from "express";
import type { ServerContext } from "../context.ts";
import { readCookie } from "../web/cookies.ts";
import { sameOrigin as fromOrigin } from "../web/origin.ts";
import { CrossOriginError, CsrfTokenError, LoginRequiredError } from "../session/errors.ts";
import {
  createSession,
  csrfTokenMatches,
  loadSession,
  purgeExpiredSessions,
  type IssuedSession,
  type PortalSession,
} from "../session/store.ts";

const sessions = new WeakMap<Request, PortalSession>();
const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);
// Expired sessions are purged now and then when new ones are made, not by a timer.
const PURGE_PROBABILITY = 0.02;

/** `__Host-` (RFC 6265bis §4.1.3.2) pins the cookie to this host over https; it needs Secure. */
export const sessionCookieName = (secure: boolean) => (secure ? "__Host-vgw_session" : "vgw_session");

const isSecure = (ctx: ServerContext) => ctx.publicUrl.startsWith("https:");

/** Loads the portal session named by the cookie, if any; never creates one. */
export function portalSessions(ctx: ServerContext): RequestHandler {
  const name = sessionCookieName(isSecure(ctx));
  return async (req, _res, next) => {
    const token = readCookie(req, name);
    if (token) {
      const session = await loadSession(ctx.db, token);
      if (session) sessions.set(req, session);
    }
    next();
  };
}

export const sessionOf = (req: Request): PortalSession | undefined => sessions.get(req);

/** The request's session, or a new anonymous one whose cookie goes out with the response. */
export async function ensureSession(ctx: ServerContext, req: Request, res: Response): Promise<PortalSession> {
  const existing = sessions.get(req);
  if (existing) return existing;
  if (Math.random() < PURGE_PROBABILITY) await purgeExpiredSessions(ctx.db);
  const issued = await createSession(ctx.db);
  adoptSession(ctx, req, res, issued);
  return issued.session;
}

/** Makes `issued` the request's session and sends its cookie: after creation or rotation. */
export function adoptSession(ctx: ServerContext, req: Request, res: Response, issued: IssuedSession): void {
  sessions.set(req, issued.session);
  const secure = isSecure(ctx);
  res.cookie(sessionCookieName(secure), issued.token, { httpOnly: true, sameSite: "lax", secure, path: "/" });
}

export function clearSessionCookie(ctx: ServerContext, req: Request, res: Response): void {
  sessions.delete(req);
  const secure = isSecure(ctx);
  res.clearCookie(sessionCookieName(secure), { httpOnly: true, sameSite: "lax", secure, path: "/" });
}

/** The logged-in performer's session, or 401. */
export function loggedIn(req: Request): PortalSession & { performerId: string } {
  const session = sessions.get(req);
  if (!session?.performerId) throw new LoginRequiredError();
  return session as PortalSession & { performerId: string };
}

/**
 * CSRF defence for every state-changing portal API request: the session's synchronizer token in
 * `X-CSRF-Token`, and, where the browser says where the request came from (`Origin`,
 * `Sec-Fetch-Site`), that it came from the portal's own origin.
 */
export function requireCsrf(ctx: ServerContext): RequestHandler {
  const sameOrigin = fromOrigin(new URL(ctx.publicUrl).origin, false);
  return (req, _res, next) => {
    if (SAFE_METHODS.has(req.method)) return next();
    if (!sameOrigin(req)) return next(new CrossOriginError());
    const session = sessions.get(req);
    if (!session || !csrfTokenMatches(ctx.secret, session, req.get("x-csrf-token"))) return next(new CsrfTokenError());
    next();
  };
}

/** The form field that carries the CSRF token in the portal's HTML forms. */
export const CSRF_FIELD = "csrf";

/**
 * The same defence for the portal's HTML forms (parsed `application/x-www-form-urlencoded`
 * bodies): the token in the `csrf` field. Under `Referrer-Policy: no-referrer` a browser sends
 * `Origin: null` with a form of the page's own origin, so there `Sec-Fetch-Site: same-origin`
 * must vouch for it.
 */
export function requireFormCsrf(ctx: ServerContext): RequestHandler {
  const sameOrigin = fromOrigin(new URL(ctx.publicUrl).origin, true);
  return (req, _res, next) => {
    if (!sameOrigin(req)) return next(new CrossOriginError());
    const body = req.body as Record<string, unknown> | undefined;
    const token = typeof body?.[CSRF_FIELD] === "string" ? body[CSRF_FIELD] : undefined;
    const session = sessions.get(req);
    if (!session || !csrfTokenMatches(ctx.secret, session, token)) return next(new CsrfTokenError());
    next();
  };
}

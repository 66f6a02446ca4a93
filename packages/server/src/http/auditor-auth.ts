import type { Request, RequestHandler } from "express";
import type { Db } from "../db/client.ts";
import { UnauthenticatedError } from "../errors.ts";
import { authenticateAuditor, type Auditor } from "../audit/auditor-token.ts";

const auditors = new WeakMap<Request, Auditor>();

/** Bearer auditor token authentication (RFC 6750) for the auditor API. */
export function auditorAuth(db: Db): RequestHandler {
  return async (req, res, next) => {
    const match = /^Bearer ([^\s]+)$/i.exec(req.headers.authorization ?? "");
    if (!match)
      return next(new UnauthenticatedError("Send your auditor token as `Authorization: Bearer vgw_audit_…`."));
    const auditor = await authenticateAuditor(db, match[1]!);
    if (!auditor) {
      res.setHeader("WWW-Authenticate", 'Bearer realm="vergewis-audit", error="invalid_token"');
      return next(new UnauthenticatedError("The auditor token is not valid, or it was revoked."));
    }
    auditors.set(req, auditor);
    next();
  };
}

/** Marks a request as made by `auditor` (the console authenticates by session cookie). */
export const setAuditor = (req: Request, auditor: Auditor) => void auditors.set(req, auditor);

/** The auditor that authenticated this request, if one did. */
export const authenticatedAuditor = (req: Request): Auditor | undefined => auditors.get(req);

/** The auditor that authenticated this request. */
export function auditorOf(req: Request): Auditor {
  const auditor = auditors.get(req);
  if (!auditor) throw new Error("auditor authentication must run before this handler");
  return auditor;
}

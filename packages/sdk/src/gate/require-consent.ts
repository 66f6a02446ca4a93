import type { NextFunction, Request, RequestHandler, Response } from "express";
import { denialStatus, type GateDecision } from "./decision.ts";
import type { Gate, GateTarget } from "./gate.ts";

export interface RequireConsentOptions {
  gate: Gate;
  /**
   * Which content this request serves, from your own records. `undefined` means none: the
   * request is denied as `unknown` (404).
   */
  target: (req: Request) => GateTarget | undefined | Promise<GateTarget | undefined>;
  /**
   * Answers a denied request. By default: `denialStatus(decision)` with a short plain-text body,
   * `Cache-Control: no-store`, and `Retry-After` when the gate could not decide.
   */
  onDenied?: (decision: GateDecision, req: Request, res: Response, next: NextFunction) => void;
  /**
   * `Cache-Control` for allowed responses that set none themselves. The default,
   * `private, no-cache`, keeps shared caches (CDNs) from serving the content after consent is
   * revoked and makes browsers ask again each time. Pass `false` to leave the header alone.
   */
  cacheControl?: string | false;
}

declare global {
  namespace Express {
    interface Locals {
      /** The gate's decision for this request (set by `requireConsent` when it lets the request through). */
      vergewis?: GateDecision;
    }
  }
}

const MESSAGES: Record<GateDecision["reason"], string> = {
  cleared: "Available.",
  unknown: "Not found.",
  pending: "Not available yet: not everyone shown has consented.",
  declined: "Not available: someone shown declined.",
  revoked: "Removed: consent was withdrawn.",
  expired: "No longer available.",
  reported: "Unavailable while a report about it is reviewed.",
  purpose_not_consented: "Not available for this use.",
  territory_not_consented: "Not available in your country.",
  unavailable: "Temporarily unavailable. Try again shortly.",
};

const RETRY_AFTER_SECONDS = "30";

/**
 * Express middleware that lets a request through only when the gate allows the content it serves.
 * Works with Express 4 and 5; the SDK does not load Express itself.
 *
 * @example
 * ```ts
 * app.get("/videos/:id", requireConsent({ gate, target: (req) => videos.targetFor(req.params.id) }), sendVideo);
 * ```
 */
export function requireConsent(options: RequireConsentOptions): RequestHandler {
  const { gate, target, onDenied = deny, cacheControl = "private, no-cache" } = options;
  if (typeof gate !== "function" || typeof target !== "function") {
    throw new TypeError("requireConsent needs { gate: createGate(…), target: (req) => … }");
  }
  return (req, res, next) => {
    const decide = async () => {
      const wanted = await target(req);
      const decision: GateDecision =
        wanted === undefined
          ? { allowed: false, reason: "unknown", status: "unknown", source: "online", checkedAt: new Date() }
          : await gate(wanted);
      if (!decision.allowed) return onDenied(decision, req, res, next);
      res.locals.vergewis = decision;
      if (cacheControl !== false && !res.getHeader("cache-control")) res.setHeader("Cache-Control", cacheControl);
      next();
    };
    decide().catch(next);
  };
}

function deny(decision: GateDecision, _req: Request, res: Response): void {
  res.setHeader("Cache-Control", "no-store");
  if (decision.reason === "unavailable") res.setHeader("Retry-After", RETRY_AFTER_SECONDS);
  res.status(denialStatus(decision)).type("text/plain").send(MESSAGES[decision.reason]);
}

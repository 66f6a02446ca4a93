import type { Request } from "express";

/**
 * Whether the browser says a state-changing request came from `origin` (`Origin`,
 * `Sec-Fetch-Site`); a request without either header is let through, for CSRF tokens or
 * SameSite=Strict cookies to decide. Under `Referrer-Policy: no-referrer` a browser sends
 * `Origin: null` with a form of the page's own origin, so for forms `Sec-Fetch-Site: same-origin`
 * must vouch for it.
 */
export function sameOrigin(origin: string, form: boolean): (req: Request) => boolean {
  return (req) => {
    const site = req.get("sec-fetch-site");
    const from = req.get("origin");
    if (site !== undefined && site !== "same-origin") return false;
    if (from === undefined || from === origin) return true;
    return form && from === "null" && site === "same-origin";
  };
}

import { errorCodes, isErrorCode } from "@vergewis/sdk";
import { Router } from "express";

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * Problem `type` URIs (RFC 9457 §3.1.1) resolve to a short human-readable page, so that a
 * developer who follows one from a log lands somewhere useful: what the code means, from the
 * catalogue. A code that is not catalogued is no problem type of ours, and 404.
 */
export function problemTypeRoutes(): Router {
  const router = Router();
  router.get("/problems/:code", (req, res, next) => {
    const code = req.params.code;
    if (!isErrorCode(code)) return next();
    res.type("html").send(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Vergewis problem: ${code}</title></head>
<body><h1>Problem type <code>${code}</code></h1>
<p>${escape(errorCodes[code])}</p>
<p>The Vergewis API answered with an <code>application/problem+json</code> body (RFC 9457) whose
<code>code</code> is <code>${code}</code>. Its <code>detail</code> explains this case, and for invalid
input <code>errors</code> lists each field by JSON Pointer with the reason.</p></body></html>`);
  });
  return router;
}

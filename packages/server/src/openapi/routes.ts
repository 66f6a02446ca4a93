import { createRequire } from "node:module";
import path from "node:path";
import { Router } from "express";
import { NotFoundError } from "../errors.ts";
import { openApiDocument } from "./document.ts";

const require = createRequire(import.meta.url);
/** Scalar's self-contained browser build: served from here, so the page needs no CDN. */
const SCALAR_JS = path.join(path.dirname(require.resolve("@scalar/api-reference")), "browser", "standalone.js");

/** The version of this document of the /v1 API. */
export const API_DOCUMENT_VERSION = "1.0.0";

// Scalar renders the document client-side and injects its styles: the page alone allows inline
// styles. Scripts, the document and fonts still come from this origin only (the default fonts,
// from Scalar's CDN, are off), and the page sends nothing elsewhere.
const REFERENCE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join("; ");

const PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Vergewis API reference</title><link rel="icon" href="/favicon.ico"></head>
<body><div id="reference"></div>
<script src="/reference/scalar.js"></script><script src="/reference/init.js"></script></body></html>`;

const INIT = `Scalar.createApiReference("#reference", {
  url: "/openapi.json",
  withDefaultFonts: false,
  telemetry: false,
  agent: { disabled: true },
  mcp: { disabled: true },
  showDeveloperTools: "never",
  hideClientButton: true,
  documentDownloadType: "json",
});
`;

/** `GET /openapi.json` (OpenAPI 3.1) and `GET /reference`, a readable page of it. */
export function openApiRoutes(publicUrl: string): Router {
  const router = Router();
  const document = JSON.stringify(openApiDocument({ publicUrl, version: API_DOCUMENT_VERSION }));
  router.get("/openapi.json", (_req, res) => {
    res.setHeader("Access-Control-Allow-Origin", "*");
    res.setHeader("Cache-Control", "public, max-age=300");
    res.type("application/json").send(document);
  });
  router.get("/reference", (_req, res) => {
    res.setHeader("Content-Security-Policy", REFERENCE_CSP);
    res.type("html").send(PAGE);
  });
  router.get("/reference/init.js", (_req, res) => {
    res.type("text/javascript").setHeader("Cache-Control", "public, max-age=3600");
    res.send(INIT);
  });
  router.get("/reference/scalar.js", (_req, res, next) => {
    // pnpm keeps packages under node_modules/.pnpm: allow that dot-folder in the path.
    res.sendFile(SCALAR_JS, { maxAge: "1d", dotfiles: "allow" }, (error) => {
      if (error) next(new NotFoundError("file scalar.js"));
    });
  });
  return router;
}

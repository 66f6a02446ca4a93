import { createRequire } from "node:module";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import express, { Router } from "express";
import { NotFoundError } from "../errors.ts";
import { FAVICON_SVG } from "./favicon.ts";

/** The package's `static/` folder, found from `src/` (tests) and from `dist/` alike. */
function staticDir(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!fs.existsSync(path.join(dir, "static", "style.css"))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error("cannot find the server's static/ folder");
    dir = parent;
  }
  return path.join(dir, "static");
}

const require = createRequire(import.meta.url);

/**
 * Browser libraries served from our own origin: no CDN, so the CSP can stay `script-src 'self'`.
 * A Map, as the file name comes from the URL: an object would answer `constructor`.
 */
const VENDOR = new Map<string, string>(
  Object.entries({
    "simplewebauthn-browser.js": path.join(
      path.dirname(require.resolve("@simplewebauthn/browser")),
      "..",
      "dist",
      "bundle",
      "index.umd.min.js",
    ),
    "uplot.js": require.resolve("uplot/dist/uPlot.iife.min.js"),
    "uplot.css": require.resolve("uplot/dist/uPlot.min.css"),
    // The SDK's log verifier built for browsers (`npm run build` makes it): the console verifies proofs with it.
    "vergewis-log.js": path.join(path.dirname(require.resolve("@vergewis/sdk/package.json")), "dist", "log.browser.js"),
    // PDQ for browsers: a person hashes a picture on their own device and only the hash leaves it.
    "vergewis-pdq.js": path.join(path.dirname(require.resolve("@vergewis/sdk/package.json")), "dist", "pdq.browser.js"),
    // Streamed SHA-256 (@noble/hashes): the portal checks a large video against its fingerprint as it downloads.
    "vergewis-sha256.js": path.join(
      path.dirname(require.resolve("@vergewis/sdk/package.json")),
      "dist",
      "sha256.browser.js",
    ),
  }),
);

const CONTENT_TYPES: Record<string, string> = {
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
};

/** `/assets/*`: stylesheets, page scripts and vendored browser libraries. */
export function assetRoutes(): Router {
  const router = Router();
  // A file that is not there falls through to the app's 404 problem (serve-static's own errors
  // would reach the error handler as unknown errors, i.e. 500).
  const options = { maxAge: "1h", index: false, dotfiles: "deny" as const };
  router.get("/assets/vendor/:file", (req, res, next) => {
    const file = VENDOR.get(req.params.file);
    if (!file) return next();
    // pnpm keeps packages under node_modules/.pnpm: allow that dot-folder in the path. A file
    // that is absent (the SDK not built yet) is a 404, not a server error.
    const headers = { "Content-Type": CONTENT_TYPES[path.extname(req.params.file)]! };
    res.sendFile(file, { maxAge: "1h", dotfiles: "allow", headers }, (error) => {
      if (error) next(new NotFoundError(`file ${req.params.file}`));
    });
  });
  router.use("/assets", express.static(staticDir(), options));
  router.get(["/favicon.ico", "/assets/favicon.svg"], (_req, res) => {
    res.type("image/svg+xml").setHeader("Cache-Control", "public, max-age=86400");
    res.send(FAVICON_SVG);
  });
  return router;
}

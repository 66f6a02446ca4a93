import { createRequire } from "node:module";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import express, { Router } from "express";

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

/** Browser libraries served from our own origin: no CDN, so the CSP can stay `script-src 'self'`. */
const VENDOR: Record<string, string> = {
  "simplewebauthn-browser.js": path.join(
    path.dirname(require.resolve("@simplewebauthn/browser")),
    "..",
    "dist",
    "bundle",
    "index.umd.min.js",
  ),
};

/** `/assets/*`: stylesheets, page scripts and vendored browser libraries. */
export function assetRoutes(): Router {
  const router = Router();
  const options = { maxAge: "1h", fallthrough: false, index: false, dotfiles: "deny" as const };
  router.get("/assets/vendor/:file", (req, res, next) => {
    const file = VENDOR[req.params.file];
    if (!file) return next();
    res.sendFile(file, { maxAge: "1h", headers: { "Content-Type": "text/javascript; charset=utf-8" } });
  });
  router.use("/assets", express.static(staticDir(), options));
  return router;
}

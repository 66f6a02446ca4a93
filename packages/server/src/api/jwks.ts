import { Router } from "express";
import type { KeyStore } from "../keys/store.ts";

/** Public: the JWKS (RFC 7517) with every signing key, current and retired, by `kid`. */
export function jwksRoutes(keys: KeyStore): Router {
  const router = Router();
  router.get("/.well-known/jwks.json", async (_req, res) => {
    const jwks = await keys.jwks();
    res.setHeader("Cache-Control", "public, max-age=300");
    res.setHeader("Access-Control-Allow-Origin", "*");
    res.type("application/jwk-set+json").send(JSON.stringify(jwks));
  });
  return router;
}

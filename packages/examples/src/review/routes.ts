import { createReadStream } from "node:fs";
import path from "node:path";
import { Router } from "express";
import type { Vergewis } from "@vergewis/sdk";
import type { UploadStore } from "../store.ts";
import type { ReviewLinks } from "./links.ts";

export interface ReviewRoutesOptions {
  vergewis: Pick<Vergewis, "publications">;
  store: UploadStore;
  filesDir: string;
  links: ReviewLinks;
  /** The Vergewis portal's origin: the only page that may read the files (CORS). */
  portalOrigin: string;
}

/**
 * `GET /review/:id`: an upload's file for the performers who are asked to consent to it, through
 * a signed, expiring link, readable by the Vergewis portal's pages alone, and only while the
 * publication waits for their answers. Vergewis never receives the file.
 */
export function reviewRoutes(options: ReviewRoutesOptions): Router {
  const { vergewis, store, filesDir, links, portalOrigin } = options;
  const router = Router();
  router.get("/review/:id", async (req, res) => {
    res.setHeader("Cache-Control", "no-store");
    res.setHeader("Vary", "Origin");
    // Read by a page of another origin through CORS (helmet's default would refuse it).
    res.setHeader("Cross-Origin-Resource-Policy", "cross-origin");
    const id = String(req.params.id);
    const upload = links.valid(id, req.query.exp, req.query.sig) ? await store.get(id) : undefined;
    if (!upload || upload.takenDownAt) return res.status(404).type("text").send("No such review link.");
    // The portal answers where its invitation links point, which may be another name for the
    // address this platform calls (localhost and 127.0.0.1).
    const portals = new Set([
      portalOrigin,
      ...upload.invitations.flatMap((i) => (i.url ? [new URL(i.url).origin] : [])),
    ]);
    const origin = req.headers.origin;
    if (origin && portals.has(origin)) res.setHeader("Access-Control-Allow-Origin", origin);
    const publication = await vergewis.publications.get(upload.publicationId);
    if (publication.status !== "pending") return res.status(410).type("text").send("The review has ended.");
    res.setHeader("Content-Type", upload.mediaType);
    res.setHeader("Content-Length", String(upload.bytes));
    res.setHeader("Content-Security-Policy", "sandbox; default-src 'none'");
    createReadStream(path.join(filesDir, upload.id))
      .on("error", () => res.destroy())
      .pipe(res);
  });
  return router;
}

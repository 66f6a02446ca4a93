import { Router } from "express";
import { denialStatus, type Gate, type GateReason, type Vergewis } from "@vergewis/sdk";
import { requireConsent } from "@vergewis/sdk/express";
import { messagePage } from "../pages/layout.ts";
import type { UploadStore } from "../store.ts";
import { keepMissingReceipts } from "./receipts.ts";

export interface MediaRoutesOptions {
  vergewis: Pick<Vergewis, "publications">;
  gate: Gate;
  store: UploadStore;
  filesDir: string;
}

/** Media types served inline; anything else is offered as a download, never rendered. */
const INLINE = new Set([
  "video/mp4",
  "video/webm",
  "video/ogg",
  "image/jpeg",
  "image/png",
  "image/webp",
  "image/gif",
  "audio/mpeg",
  "audio/ogg",
]);

const PAGES: Record<GateReason, [title: string, message: string]> = {
  cleared: ["Available", "This is available."],
  unknown: ["Not found", "There is nothing here."],
  pending: ["Not published yet", "Not everyone who appears in this has consented yet."],
  declined: ["Not published", "Someone who appears in this declined to have it published."],
  revoked: ["Removed", "This was removed because someone who appears in it withdrew their consent."],
  expired: ["No longer available", "The permission to show this has ended."],
  reported: ["Unavailable", "This is unavailable while a report about it is reviewed."],
  purpose_not_consented: ["Not available", "The people who appear in this did not consent to this use."],
  territory_not_consented: [
    "Not available in your country",
    "The people who appear in this did not consent to it being shown where you are.",
  ],
  unavailable: ["Try again shortly", "We cannot confirm consent for this right now, so it is not shown."],
};

/** Public serving: an upload's file, only while the gate allows it. */
export function mediaRoutes(options: MediaRoutesOptions): Router {
  const { vergewis, gate, store, filesDir } = options;
  const router = Router();
  router.get(
    "/media/:id",
    // Taken down here: gone, whatever Vergewis would say, and without asking it.
    async (req, res, next) => {
      const upload = await store.get(String(req.params.id));
      if (!upload?.takenDownAt) return next();
      const [title, message] = PAGES.revoked;
      res.setHeader("Cache-Control", "no-store");
      res.status(410).type("html").send(messagePage(title, message));
    },
    requireConsent({
      gate,
      target: async (req) => {
        const upload = await store.get(String(req.params.id));
        return upload && { fingerprint: { alg: "sha-256", value: upload.sha256 } };
      },
      onDenied: (decision, _req, res) => {
        const [title, message] = PAGES[decision.reason];
        res.setHeader("Cache-Control", "no-store");
        if (decision.reason === "unavailable") res.setHeader("Retry-After", "30");
        res.status(denialStatus(decision)).type("html").send(messagePage(title, message));
      },
    }),
    async (req, res) => {
      const upload = (await store.get(String(req.params.id)))!;
      if (res.locals.vergewis?.source === "online") {
        // Vergewis has just said cleared. Best effort: a failure is logged and the next answer tries again.
        await keepMissingReceipts(vergewis, store, upload).catch((error: unknown) =>
          console.error("example platform: keeping consent receipts:", error),
        );
      }
      const inline = INLINE.has(upload.mediaType);
      // attachment() would set a type from the file name (text/html for page.html): set ours after it.
      if (!inline) res.attachment(upload.fileName);
      res.setHeader("Content-Type", inline ? upload.mediaType : "application/octet-stream");
      // Uploaded content, not a page of ours: no scripts, sandboxed; the browser's own viewer for
      // images and video styles itself inline, which the pages' policy would refuse.
      res.setHeader(
        "Content-Security-Policy",
        "default-src 'none'; img-src 'self'; media-src 'self'; style-src 'unsafe-inline'; sandbox",
      );
      // Relative to `root`: send refuses dot segments in the id only, not in the data directory
      // (the default ./.vergewis), and keeps the path inside `root`.
      res.sendFile(upload.id, { root: filesDir });
    },
  );
  return router;
}

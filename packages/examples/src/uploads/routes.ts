import { randomUUID } from "node:crypto";
import { mkdir, rename, rm } from "node:fs/promises";
import path from "node:path";
import { Router } from "express";
import {
  VergewisConnectionError,
  RateLimitError,
  ServiceUnavailableError,
  type Publication,
  type Vergewis,
} from "@vergewis/sdk";
import { homePage } from "../pages/home.ts";
import { messagePage } from "../pages/layout.ts";
import { uploadPage } from "../pages/upload.ts";
import { keepMissingReceipts } from "../media/receipts.ts";
import { ensureSession, sessionOf } from "../session.ts";
import type { Upload, UploadStore } from "../store.ts";
import { emptyForm, formValues, readUploadForm } from "./form.ts";
import { fingerprintUpload, unreadableMessage } from "./fingerprint.ts";
import { receiveUpload, UploadRejected, type ReceivedFile } from "./receive.ts";
import type { ReviewLinks } from "../review/links.ts";

export interface UploadRoutesOptions {
  vergewis: Vergewis;
  store: UploadStore;
  /** Files being received land in `<filesDir>/incoming`, registered ones in `<filesDir>/<id>`. */
  filesDir: string;
  maxUploadBytes: number;
  /** Signed, expiring links through which the performers' browsers fetch each upload for review. */
  reviewLinks: ReviewLinks;
}

/** Content that must not come back: what Vergewis took down, or what is reported and under review. */
const REFUSED = new Set(["revoked", "reported"]);

/** The upload form, the upload itself (→ fingerprint → publication request), and the uploader's page. */
export function uploadRoutes(options: UploadRoutesOptions): Router {
  const { vergewis, store, filesDir, maxUploadBytes, reviewLinks } = options;
  const incoming = path.join(filesDir, "incoming");
  const router = Router();

  router.get("/", async (_req, res) => {
    res.type("html").send(homePage({ uploads: await store.list(), form: emptyForm(), maxUploadBytes }));
  });

  router.post("/uploads", async (req, res) => {
    await mkdir(incoming, { recursive: true, mode: 0o700 });
    let received;
    try {
      received = await receiveUpload(req, { dir: incoming, maxFileBytes: maxUploadBytes });
    } catch (error) {
      if (!(error instanceof UploadRejected)) throw error;
      if (error.status === 413) res.setHeader("Connection", "close");
      return res.status(error.status).type("html").send(messagePage("Upload refused", error.message));
    }
    const { fields, file } = received;
    const form = readUploadForm(fields);
    if (!file || file.bytes === 0 || !form.ok) {
      if (file) await rm(file.path, { force: true });
      const errors = {
        ...(form.ok ? {} : form.errors),
        ...((!file || file.bytes === 0) && { file: "Choose a file to upload." }),
      };
      const page = homePage({ uploads: await store.list(), form: formValues(fields), errors, maxUploadBytes });
      return res.status(400).type("html").send(page);
    }

    let outcome: Outcome;
    try {
      outcome = await register(file, form.request, ensureSession(req, res));
    } finally {
      // Before answering: once the answer is out, nothing of a refused upload may be left.
      await rm(file.path, { force: true });
    }
    if ("redirect" in outcome) return res.redirect(303, outcome.redirect);
    if (outcome.status === 503) res.setHeader("Retry-After", "30");
    res.status(outcome.status).type("html").send(outcome.page);
  });

  /** Fingerprint → refuse what was taken down → refuse duplicates → publication request → record. */
  async function register(file: ReceivedFile, request: UploadRequest, owner: string): Promise<Outcome> {
    try {
      const { sha256: fingerprint, content } = await fingerprintUpload(file.path);
      // A file taken down after consent was withdrawn may not come back, under any title, nor
      // (once Vergewis matches PDQ near-duplicates) as a re-encoded or resized copy.
      for (const each of content) {
        const check = await vergewis.check(each);
        if (REFUSED.has(check.reason)) {
          const why =
            check.reason === "revoked" ? "someone in it withdrew their consent" : "it was reported and is under review";
          return { status: 409, page: messagePage("Upload refused", `This file cannot be published here: ${why}.`) };
        }
      }
      const existing = await store.findBySha256(fingerprint.value);
      if (existing) return alreadyUploaded(existing);
      const id = randomUUID();
      const publication = await vergewis.publications.create(
        {
          ...request,
          externalId: id,
          contentFingerprints: content,
          // Each performer sees the file itself in the Vergewis portal, fetched from here.
          reviewItems: [{ sha256: fingerprint.value, url: reviewLinks.link(id) }],
        },
        { idempotencyKey: id },
      );
      await rename(file.path, path.join(filesDir, id));
      const recorded = await store.add({
        id,
        title: request.title,
        fileName: file.fileName,
        mediaType: file.mediaType,
        bytes: file.bytes,
        sha256: fingerprint.value,
        publicationId: publication.id,
        // The uploader's own invitation, and where Vergewis mailed each co-performer's: Vergewis
        // keeps the contacts to itself and never hands out a co-performer's code.
        invitations: publication.slots.map((slot) => {
          const contact = request.slots[slot.position]?.contact;
          const own = publication.invitations.find((i) => i.slotId === slot.id);
          return {
            ...(own ?? { slotId: slot.id, position: slot.position, expiresAt: slot.expiresAt }),
            ...(contact !== undefined && { contact }),
          };
        }),
        owner,
      });
      if (recorded) return { redirect: `/uploads/${id}` };
      // The same file arrived twice at once and the other upload was recorded first.
      await rm(path.join(filesDir, id), { force: true });
      return alreadyUploaded(await store.findBySha256(fingerprint.value));
    } catch (error) {
      const unreadable = unreadableMessage(error);
      if (unreadable) return { status: unreadable.status, page: messagePage("Upload refused", unreadable.text) };
      if (!isUnavailable(error)) throw error;
      return {
        status: 503,
        page: messagePage("Try again shortly", "Consent checks are unavailable right now, so nothing was uploaded."),
      };
    }
  }

  router.get("/uploads/:id", async (req, res) => {
    const upload = await store.get(req.params.id);
    res.setHeader("Cache-Control", "no-store");
    if (!upload) return res.status(404).type("html").send(messagePage("Not found", "There is no such upload."));
    let publication: Publication | undefined;
    try {
      publication = await vergewis.publications.get(upload.publicationId);
      if (publication.status === "cleared") await keepMissingReceipts(vergewis, store, upload);
    } catch (error) {
      if (!isUnavailable(error)) throw error;
    }
    res.type("html").send(uploadPage(upload, publication, upload.owner !== null && upload.owner === sessionOf(req)));
  });

  return router;
}

type UploadRequest = Extract<ReturnType<typeof readUploadForm>, { ok: true }>["request"];
type Outcome = { redirect: string } | { status: number; page: string };

const alreadyUploaded = (existing: Upload | undefined): Outcome => ({
  status: 409,
  page: messagePage(
    "Already uploaded",
    "This file was uploaded before.",
    existing ? [{ href: `/uploads/${existing.id}`, text: existing.title }] : undefined,
  ),
});

const isUnavailable = (error: unknown) =>
  error instanceof VergewisConnectionError ||
  error instanceof ServiceUnavailableError ||
  error instanceof RateLimitError;

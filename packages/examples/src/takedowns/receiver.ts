import express, { Router } from "express";
import { verifyWebhook, WebhookVerificationError, type Gate, type WebhookEvent } from "@vergewis/sdk";
import type { UploadStore } from "../store.ts";
import type { TakeDown } from "./take-down.ts";

export const WEBHOOK_PATH = "/webhooks/vergewis";

export interface ReceiverOptions {
  store: UploadStore;
  gate: Pick<Gate, "forget">;
  takeDown: TakeDown;
  /** The endpoint's signing secrets (`whsec_…`); several while a new one is rolled out. */
  secrets: () => readonly string[];
  /** How far `webhook-timestamp` may be from now, in seconds (default 300). */
  toleranceSeconds?: number;
}

/**
 * `POST /webhooks/vergewis`: events from Vergewis, verified (Standard Webhooks: HMAC over the raw
 * body, timestamp tolerance) before anything is done. A takedown is carried out before the answer,
 * so a failure is answered 500 and Vergewis sends the event again; a redelivery of an event that
 * was handled (same `webhook-id`) is answered 204 without acting twice.
 */
export function webhookReceiver(options: ReceiverOptions): Router {
  const { store, gate, takeDown } = options;
  const router = Router();

  /** Forget the cached gate decision, so the next view asks Vergewis again. */
  const refresh = async (externalId: string) => {
    const upload = await store.get(externalId);
    if (upload) gate.forget({ fingerprint: { alg: "sha-256", value: upload.sha256 } });
  };

  async function handle(event: WebhookEvent): Promise<void> {
    switch (event.type) {
      case "takedown.requested":
      case "takedown.overdue":
        return takeDown(event.data);
      case "publication.cleared": {
        // The receipts: evidence of each consent, and what the gate decides from offline.
        const upload = await store.get(event.data.externalId);
        if (upload?.publicationId === event.data.publicationId) {
          const receipts = event.data.consents.flatMap((c) =>
            c.receipt ? [{ consentId: c.consentId, receipt: c.receipt }] : [],
          );
          await store.addReceipts(upload.id, receipts);
        }
        return refresh(event.data.externalId);
      }
      case "consent.revoked":
      case "publication.declined":
      case "report.received":
        return refresh(event.data.externalId);
      case "report.overdue":
        return;
    }
  }

  // The raw body: the signature covers the exact bytes.
  router.post(WEBHOOK_PATH, express.raw({ type: "application/json", limit: "256kb" }), async (req, res) => {
    const secrets = options.secrets();
    if (secrets.length === 0) return res.status(503).setHeader("Retry-After", "10").end();
    let event: WebhookEvent;
    try {
      event = await verifyWebhook({
        body: Buffer.isBuffer(req.body) ? req.body : new Uint8Array(),
        headers: req.headers,
        secret: secrets,
        ...(options.toleranceSeconds !== undefined && { toleranceSeconds: options.toleranceSeconds }),
      });
    } catch (error) {
      if (!(error instanceof WebhookVerificationError)) throw error;
      // A genuine event of a type this SDK does not know yet: accepted, or it is retried for a day.
      if (error.code === "webhook_unsupported_event") return res.status(204).end();
      return res.status(400).json({ error: error.code });
    }
    if (await store.webhookHandled(event.id)) return res.status(204).end();
    await handle(event);
    await store.recordWebhook(event.id, event.type);
    res.status(204).end();
  });
  return router;
}

import express from "express";
import { Vergewis, verifyWebhook, WebhookVerificationError } from "@vergewis/sdk";

// The endpoint's secret (whsec_…), shown once when it was registered with POST /v1/webhook-endpoints.
const secret = process.env.VERGEWIS_WEBHOOK_SECRET!;
const vergewis = new Vergewis({ apiKey: process.env.VERGEWIS_API_KEY!, baseUrl: process.env.VERGEWIS_URL! });
const handled = new Set<string>(); // keep this in your database: a redelivery has the same id

const app = express();
// The raw body: the signature covers the exact bytes, which parsed-and-reserialised JSON is not.
app.post("/hooks/vergewis", express.raw({ type: "application/json" }), async (req, res) => {
  let event;
  try {
    event = await verifyWebhook({ body: req.body, headers: req.headers, secret });
  } catch (error) {
    // A genuine event that this SDK version does not know yet: accept it, or it is retried for a day.
    if (error instanceof WebhookVerificationError && error.code === "webhook_unsupported_event") {
      return res.sendStatus(204);
    }
    return res.sendStatus(400);
  }
  res.sendStatus(204); // answer at once; do the work afterwards
  if (handled.has(event.id)) return;
  handled.add(event.id);

  if (event.type === "takedown.requested") {
    const { externalId, takedownId, dueAt } = event.data;
    console.log(`taking down ${externalId} (due ${dueAt})`);
    // …remove the content from your storage, CDN and feeds, then confirm it (safe to repeat):
    const removedAt = new Date().toISOString();
    const ack = await vergewis.takedowns.ack(takedownId, { removedAt, note: "removed from storage and CDN" });
    console.log(`acknowledged: ${ack.status}`);
  }
});

const server = app.listen(Number(process.env.PORT ?? 3000), "127.0.0.1", () => {
  console.log(`listening on http://127.0.0.1:${(server.address() as { port: number }).port}`);
});

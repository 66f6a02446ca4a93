import type { Vergewis } from "@vergewis/sdk";
import type { UploadStore } from "../store.ts";

/**
 * Makes sure Vergewis sends this platform's events to `url`, and returns the signing secret. The
 * secret is shown by Vergewis only when an endpoint is created or its secret rotated, so it is
 * kept in the platform's database; an endpoint whose secret was lost gets a new one.
 */
export async function ensureWebhookEndpoint(
  vergewis: Pick<Vergewis, "webhookEndpoints">,
  store: UploadStore,
  url: string,
): Promise<string> {
  const { items } = await vergewis.webhookEndpoints.list();
  const registered = items.find((endpoint) => endpoint.url === url);
  if (registered?.status === "disabled") await vergewis.webhookEndpoints.enable(registered.id);
  const saved = await store.webhookEndpoint(url);
  if (registered && saved?.id === registered.id) return saved.secret;
  const endpoint = registered
    ? await vergewis.webhookEndpoints.rotateSecret(registered.id, { overlapSeconds: 0 })
    : await vergewis.webhookEndpoints.create({ url, description: "Example platform: takedowns and consent changes" });
  await store.saveWebhookEndpoint(url, { id: endpoint.id, secret: endpoint.secret });
  return endpoint.secret;
}

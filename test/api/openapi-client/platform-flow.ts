// Compiled by test/api/openapi-client.test.ts next to `api.ts`, the types openapi-typescript
// generates from the served /openapi.json: a platform's integration written against the document
// alone, through openapi-fetch.
import createClient from "openapi-fetch";
import type { components, paths } from "./api.ts";

type Schemas = components["schemas"];

/** What the performer does in the portal: the test's passkey holder answers. */
export interface Performer {
  consent(invitationUrl: string, slotId: string): Promise<void>;
  revoke(publicationId: string): Promise<void>;
}

export interface FlowResult {
  publication: Schemas["CreatedPublication"];
  replayed: string | null;
  cleared: Schemas["CheckResult"];
  consents: Schemas["ConsentList"];
  revoked: Schemas["CheckResult"];
  open: Schemas["TakedownList"];
  acknowledged: Schemas["Takedown"];
  notFound: Schemas["Problem"];
}

export async function platformFlow(baseUrl: string, apiKey: string, performer: Performer): Promise<FlowResult> {
  const api = createClient<paths>({ baseUrl, headers: { Authorization: `Bearer ${apiKey}` } });
  const fingerprint = { alg: "sha-256" as const, value: "ab".repeat(32) };
  // The use asked about: openapi-typescript types a field with a default (purpose's is publish) as
  // required, as the server would answer it.
  const use = { purpose: "publish" as const, territory: "NL" };
  const request: Schemas["PublicationRequest"] = {
    externalId: `clip-${Date.now()}`,
    title: "Beach scene",
    contentFingerprints: [fingerprint],
    reviewItems: [{ sha256: fingerprint.value, url: `https://review.platform.test/items/${fingerprint.value}` }],
    slots: [{ role: "uploader" }],
    scope: {
      purposes: ["publish"],
      territories: ["NL"],
      validUntil: new Date(Date.now() + 86_400_000 * 30).toISOString(),
    },
    producedAt: new Date().toISOString().slice(0, 10),
  };
  const key = { "Idempotency-Key": `create-${request.externalId}` };
  const created = await api.POST("/v1/publications", { body: request, params: { header: key } });
  if (!created.data) throw new Error(`create: ${created.error?.code}`);
  const publication = created.data;
  // A retry with the same key replays the answer instead of creating a second request.
  const retry = await api.POST("/v1/publications", { body: request, params: { header: key } });
  if (retry.data?.id !== publication.id) throw new Error("the retry was not replayed");

  await performer.consent(publication.invitations[0]!.url, publication.slots[0]!.id);
  const cleared = await api.POST("/v1/check", { body: { fingerprint, ...use } });
  if (!cleared.data) throw new Error(`check: ${cleared.error?.code}`);
  const consents = await api.GET("/v1/publications/{id}/consents", { params: { path: { id: publication.id } } });
  if (!consents.data) throw new Error(`consents: ${consents.error?.code}`);

  await performer.revoke(publication.id);
  const revoked = await api.POST("/v1/check", { body: { fingerprint, ...use } });
  if (!revoked.data) throw new Error(`check: ${revoked.error?.code}`);
  const open = await api.GET("/v1/takedowns", {
    params: { query: { publicationId: publication.id, status: "open" } },
  });
  if (!open.data?.items[0]) throw new Error("no open takedown");
  const ack = await api.POST("/v1/takedowns/{id}/ack", {
    params: { path: { id: open.data.items[0].id } },
    body: { removedAt: new Date().toISOString(), note: "Removed from every page." },
  });
  if (!ack.data) throw new Error(`ack: ${ack.error?.code}`);

  const missing = await api.GET("/v1/publications/{id}", {
    params: { path: { id: "00000000-0000-7000-8000-000000000000" } },
  });
  if (!missing.error) throw new Error("a publication that does not exist was found");
  return {
    publication,
    replayed: retry.response.headers.get("Idempotent-Replayed"),
    cleared: cleared.data,
    consents: consents.data,
    revoked: revoked.data,
    open: open.data,
    acknowledged: ack.data,
    notFound: missing.error,
  };
}

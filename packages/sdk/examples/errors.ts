import {
  ConflictError,
  InvalidRequestError,
  Vergewis,
  VergewisConnectionError,
  type PublicationRequest,
} from "@vergewis/sdk";

const vergewis = new Vergewis({ apiKey: process.env.VERGEWIS_API_KEY!, baseUrl: process.env.VERGEWIS_URL! });

const request: PublicationRequest = {
  externalId: `errors-example-${Date.now()}`,
  title: "Scene 4",
  contentFingerprints: [{ alg: "sha-256", value: "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08" }],
  reviewItems: [
    {
      sha256: "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
      url: "https://platform.example/review/scene-4?exp=1893456000&sig=…",
    },
  ],
  slots: [{ role: "uploader" }],
  scope: { purposes: ["publish"], territories: ["NL"], validUntil: new Date(Date.now() + 86_400_000).toISOString() },
  producedAt: "2026-11-20",
};
await vergewis.publications.create(request);

try {
  await vergewis.publications.create(request); // the same externalId again
} catch (error) {
  if (!(error instanceof ConflictError && error.code === "external_id_taken")) throw error;
  console.log(`${error.status} ${error.code}: ${error.detail} (request ${error.requestId})`);
}

try {
  await vergewis.publications.create({ ...request, externalId: "has spaces", slots: [] });
} catch (error) {
  if (!(error instanceof InvalidRequestError)) throw error;
  for (const field of error.errors) console.log(`${field.pointer}: ${field.reason}`);
}

try {
  const nowhere = new Vergewis({ apiKey: "vgw_live_example", baseUrl: "http://127.0.0.1:2", retries: 0 }); // nothing listens
  await nowhere.publications.list();
} catch (error) {
  if (!(error instanceof VergewisConnectionError)) throw error;
  console.log(`${error.code}: ${error.message}`);
}

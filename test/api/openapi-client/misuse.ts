// Must NOT compile against the generated types: proof that they carry the document's shapes.
import createClient from "openapi-fetch";
import type { paths } from "./api.ts";

const api = createClient<paths>({ baseUrl: "http://127.0.0.1" });
// A publication request without its scope, and a check with an unknown fingerprint algorithm.
await api.POST("/v1/publications", {
  body: {
    externalId: "x",
    title: "x",
    contentFingerprints: [],
    reviewItems: [],
    slots: [{ role: "uploader" }],
    producedAt: "2026-01-01",
  },
});
await api.POST("/v1/check", { body: { fingerprint: { alg: "md5", value: "00" } } });

import { resolve } from "node:path";
import express from "express";
import { createGate, fingerprintFile, Vergewis, type Fingerprint } from "@vergewis/sdk";
import { requireConsent } from "@vergewis/sdk/express";

const vergewis = new Vergewis({ apiKey: process.env.VERGEWIS_API_KEY!, baseUrl: process.env.VERGEWIS_URL! });
const gate = createGate({ client: vergewis, cache: { maxAgeMs: 5_000 } });

// Your own records: the file behind each video id and its fingerprint, kept since the upload.
const file = process.argv[2] ?? "scene-3.mp4";
const videos = new Map<string, { path: string; fingerprint: Fingerprint }>([
  ["scene-3", { path: resolve(file), fingerprint: await fingerprintFile(file) }],
]);

const app = express();
app.get(
  "/videos/:id",
  requireConsent({
    gate,
    target: (req) => {
      const video = videos.get(String(req.params.id));
      return video && { fingerprint: video.fingerprint };
    },
  }),
  (req, res) => res.sendFile(videos.get(String(req.params.id))!.path),
);

const server = app.listen(Number(process.env.PORT ?? 3000), "127.0.0.1", () => {
  console.log(`listening on http://127.0.0.1:${(server.address() as { port: number }).port}`);
});

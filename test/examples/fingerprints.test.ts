// The example platform fingerprints every upload as `vergewis fingerprint` does: real images and a
// real video, against a real Vergewis server.
import { createHash, randomUUID } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { vpdqDigest } from "@vergewis/sdk";
import { pdqFromImage, vpdqFromVideo } from "@vergewis/sdk/fingerprint";
import { blockContent } from "../../packages/server/src/content-block/store.ts";
import { runTransaction } from "../../packages/server/src/db/transaction.ts";
import { requestTakedown } from "../../packages/server/src/takedown/request.ts";
import { startExample, type RunningExample } from "../../packages/examples/src/index.ts";
import { movePublicationTo, revokePublication } from "../support/states.ts";
import { startTestServer, type TestServer } from "../support/server.ts";
import { makeVideo, reencodeVideo } from "../support/video.ts";
import { producedToday } from "../support/fixtures.ts";

const BRIDGE = path.resolve(import.meta.dirname, "../fixtures/pdq/bridge-1-original.jpg");

let server: TestServer;
let tmp: string;
let dataDir: string;
let example: RunningExample;

beforeAll(async () => {
  server = await startTestServer();
  const { apiKey } = await server.createPlatform("Example platform");
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "vergewis-example-fp-"));
  dataDir = path.join(tmp, "example-platform");
  example = await startExample({
    vergewisUrl: server.url,
    apiKey,
    dataDir,
    port: 0,
    maxUploadBytes: 1024 * 1024,
    gateCacheMs: 0,
  });
});
afterAll(async () => {
  await example?.close();
  await server?.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

function form(file: Buffer, fileName: string, type: string): FormData {
  const body = new FormData();
  for (const [name, value] of Object.entries({
    title: "Scene",
    uploaderDepicted: "yes",
    coPerformers: "",
    territories: "NL",
    producedAt: producedToday(),
  }))
    body.append(name, value);
  body.append("file", new Blob([new Uint8Array(file)], { type }), fileName);
  return body;
}
const upload = (file: Buffer, fileName = "photo.jpg", type = "image/jpeg") =>
  fetch(`${example.url}/uploads`, { method: "POST", body: form(file, fileName, type), redirect: "manual" });
const sha256 = (bytes: Buffer) => createHash("sha256").update(bytes).digest("hex");
const fingerprintsOf = async (bytes: Buffer) =>
  (
    await server.ctx.db.publication.findMany({
      where: { fingerprints: { some: { value: sha256(bytes) } } },
      include: { fingerprints: { orderBy: { alg: "asc" } } },
    })
  ).map((p) => p.fingerprints.map((f) => [f.alg, f.value]));
const incoming = () => fs.readdirSync(path.join(dataDir, "files/incoming"));

/** Uploads a file, has it cleared, then withdrawn as a performer's revocation does: takedown and block. */
async function uploadAndWithdraw(bytes: Buffer, fileName: string, type: string): Promise<string> {
  const res = await upload(bytes, fileName, type);
  expect(res.status).toBe(303);
  const { publicationId } = (await example.store.get(res.headers.get("location")!.split("/").pop()!))!;
  await movePublicationTo(server.ctx.db, publicationId, ["cleared"]);
  await runTransaction(server.ctx.db, async (tx, effects) => {
    await blockContent(tx, effects, publicationId, { source: "withdrawal", consentId: randomUUID() });
    await requestTakedown(tx, effects, { publicationId, reason: "revocation" });
  });
  return publicationId;
}

describe("the example platform fingerprints uploads", () => {
  test("a photo is registered with its SHA-256 and its PDQ", async () => {
    const photo = await sharp(BRIDGE).resize(800).jpeg({ quality: 80 }).toBuffer();
    const res = await upload(photo);
    expect(res.status).toBe(303);
    const pdq = await pdqFromImage(photo);
    expect(pdq.quality).toBeGreaterThanOrEqual(50);
    expect(await fingerprintsOf(photo)).toEqual([
      [
        ["pdq", pdq.hash],
        ["sha-256", sha256(photo)],
      ],
    ]);
  });

  test("a near-blank picture keeps its PDQ back (below Meta's quality floor)", async () => {
    const blank = await sharp({ create: { width: 400, height: 300, channels: 3, background: "#808080" } })
      .png()
      .toBuffer();
    expect((await upload(blank, "blank.png", "image/png")).status).toBe(303);
    expect(await fingerprintsOf(blank)).toEqual([[["sha-256", sha256(blank)]]]);
  });

  test("a video is uploaded with its SHA-256 and its vPDQ frames", async () => {
    const video = path.join(tmp, "clip.mp4");
    makeVideo(video, { seconds: 2 });
    const bytes = fs.readFileSync(video);
    expect((await upload(bytes, "clip.mp4", "video/mp4")).status).toBe(303);
    const frames = await vpdqFromVideo(video);
    expect(await fingerprintsOf(bytes)).toEqual([
      [
        ["sha-256", sha256(bytes)],
        ["vpdq", vpdqDigest(frames)],
      ],
    ]);
    const [publication] = await server.ctx.db.publication.findMany({
      where: { fingerprints: { some: { value: sha256(bytes) } } },
    });
    expect(
      await server.ctx.db.perceptualHash.count({ where: { fingerprint: { publicationId: publication!.id } } }),
    ).toBe(frames.length);
  });

  test("a damaged image is refused with 422 and nothing is stored", async () => {
    const broken = (await sharp(BRIDGE).resize(800).jpeg().toBuffer()).subarray(0, 5000);
    const res = await upload(broken);
    expect(res.status).toBe(422);
    expect(await res.text()).toContain("cannot be read");
    expect(await fingerprintsOf(broken)).toEqual([]);
    expect(await example.store.findBySha256(sha256(broken))).toBeUndefined();
    expect(incoming()).toEqual([]);
  });

  test("a lossless re-encode of a withdrawn photo (other bytes, same PDQ) is refused", async () => {
    const photo = await sharp(BRIDGE).resize(640).jpeg({ quality: 85 }).toBuffer();
    const res = await upload(photo);
    const id = res.headers.get("location")!.split("/").pop()!;
    const { publicationId } = (await example.store.get(id))!;
    await movePublicationTo(server.ctx.db, publicationId, ["cleared"]);
    await revokePublication(server.ctx.db, publicationId);
    // The same pixels as PNG: another SHA-256, the same PDQ.
    const png = await sharp(photo).png().toBuffer();
    expect((await pdqFromImage(png)).hash).toBe((await pdqFromImage(photo)).hash);
    const again = await upload(png, "photo.png", "image/png");
    expect(again.status).toBe(409);
    expect(await again.text()).toContain("someone in it withdrew their consent");
    expect(await fingerprintsOf(png)).toEqual([]);
  });

  test("a JPEG quality 30 copy at half the size of a withdrawn photo is refused on upload", async () => {
    const photo = await sharp(path.resolve(import.meta.dirname, "../fixtures/pdq/q1050.jpg"))
      .resize(900)
      .jpeg({ quality: 85 })
      .toBuffer();
    await uploadAndWithdraw(photo, "withdrawn.jpg", "image/jpeg");
    const copy = await sharp(photo).resize(450).jpeg({ quality: 30 }).toBuffer();
    expect((await pdqFromImage(copy)).hash).not.toBe((await pdqFromImage(photo)).hash);
    const again = await upload(copy, "copy.jpg");
    expect(again.status).toBe(409);
    expect(await again.text()).toContain("someone in it withdrew their consent");
    expect(await fingerprintsOf(copy)).toEqual([]);
    expect(await example.store.findBySha256(sha256(copy))).toBeUndefined();
    expect(incoming()).toEqual([]);
  });

  test("a lower-bitrate re-encode of a withdrawn video is refused on upload", async () => {
    const video = makeVideo(path.join(tmp, "withdrawn.mp4"), { size: "640x360", seconds: 3 });
    // Made before the uploads: an idle pause between them would let the server close the kept-alive
    // connection (5 s) just as fetch reuses it.
    const bytes = fs.readFileSync(reencodeVideo(video, path.join(tmp, "withdrawn-low.mp4")));
    await uploadAndWithdraw(fs.readFileSync(video), "withdrawn.mp4", "video/mp4");
    const again = await upload(bytes, "copy.mp4", "video/mp4");
    expect(again.status).toBe(409);
    expect(await again.text()).toContain("someone in it withdrew their consent");
    expect(await fingerprintsOf(bytes)).toEqual([]);
    expect(incoming()).toEqual([]);
  });
});

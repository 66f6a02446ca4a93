// Blocking uses near-duplicates, allowing does not: /v1/check and publication requests against
// withdrawn, reported and taken-down content, with real photos (sharp) and real videos (ffmpeg).
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import {
  checkResultSchema,
  createGate,
  MAX_VPDQ_FRAMES,
  Vergewis,
  vpdqDigest,
  type CheckResult,
  type ContentFingerprintInput,
  type MediaFingerprint,
} from "@vergewis/sdk";
import { fingerprintFile, pdqDistance } from "@vergewis/sdk/fingerprint";
import { createFlagger } from "../../packages/server/src/report/flagger.ts";
import { consentedPublication } from "../support/consented.ts";
import { bearer, hex64, publicationRequest } from "../support/fixtures.ts";
import { TestPlatform } from "../support/platform.ts";
import { startPortalServer } from "../support/portal.ts";
import type { TestServer } from "../support/server.ts";
import { makeVideo, reencodeVideo } from "../support/video.ts";

const FIXTURES = path.resolve(import.meta.dirname, "../fixtures/pdq");

let server: TestServer;
let platform: TestPlatform;
let tmp: string;

beforeAll(async () => {
  server = await startPortalServer({ reports: { rateLimit: 1_000 } });
  platform = await TestPlatform.create(server, "Near-duplicate platform");
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "vergewis-near-dup-"));
});
afterAll(async () => {
  await server?.close();
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

type Pdq = Extract<MediaFingerprint, { alg: "pdq" }>;
type Vpdq = Extract<MediaFingerprint, { alg: "vpdq" }>;

/** The SHA-256 and the perceptual fingerprint of a file, as `fingerprintFile` gives them. */
async function fingerprintsOf(bytes: Buffer, name: string) {
  const file = path.join(tmp, name);
  fs.writeFileSync(file, bytes);
  const { fingerprints } = await fingerprintFile(file);
  const sha = fingerprints.find((f) => f.alg === "sha-256")! as { alg: "sha-256"; value: string };
  const perceptual = fingerprints.find((f) => f.alg !== "sha-256")! as Pdq | Vpdq;
  return { sha, perceptual, all: [sha, perceptual] as ContentFingerprintInput[] };
}

const pdqOf = (f: { perceptual: Pdq | Vpdq }) => (f.perceptual as Pdq).value;

const photo = (file: string, width = 800) =>
  sharp(path.join(FIXTURES, file)).resize(width).jpeg({ quality: 85 }).toBuffer();
/** The copy: JPEG quality 30 at half the size, a real re-encode. */
const reencoded = async (bytes: Buffer) => {
  const { width } = await sharp(bytes).metadata();
  return sharp(bytes)
    .resize(Math.round(width! / 2))
    .jpeg({ quality: 30 })
    .toBuffer();
};

async function check(fingerprint: ContentFingerprintInput): Promise<CheckResult> {
  const res = await platform.request("POST", "/v1/check", { fingerprint });
  expect(res.status).toBe(200);
  return checkResultSchema.parse(res.body);
}

const request = (contentFingerprints: ContentFingerprintInput[]) =>
  platform.request<Record<string, unknown>>(
    "POST",
    "/v1/publications",
    publicationRequest({ contentFingerprints, slots: [{ role: "uploader" }] }),
  );

const counts = async () => ({
  publications: await server.ctx.db.publication.count({ where: { platformId: platform.id } }),
  hashes: await server.ctx.db.perceptualHash.count({ where: { platformId: platform.id } }),
  log: await server.ctx.db.auditEvent.count(),
});

/** A cleared publication of these fingerprints whose only performer then withdrew (a ContentBlock). */
async function withdrawn(fingerprints: ContentFingerprintInput[]) {
  const consented = await consentedPublication(server, platform, { request: { contentFingerprints: fingerprints } });
  expect((await consented.performers[0]!.revoke(consented.consentIds[0]!)).status).toBe(200);
  return consented.publication;
}

describe("a photo's PDQ", () => {
  let original: Awaited<ReturnType<typeof fingerprintsOf>>;
  let copy: Awaited<ReturnType<typeof fingerprintsOf>>;
  let publicationId: string;

  beforeAll(async () => {
    const bytes = await photo("bridge-1-original.jpg");
    original = await fingerprintsOf(bytes, "original.jpg");
    copy = await fingerprintsOf(await reencoded(bytes), "copy.jpg");
    ({ id: publicationId } = await withdrawn(original.all));
  });

  test("is indexed with the publication, in the transaction that creates it", async () => {
    const rows = await server.ctx.db.perceptualHash.findMany({
      where: { fingerprint: { publicationId } },
      select: { alg: true, quality: true },
    });
    expect(rows).toEqual([{ alg: "pdq", quality: (original.perceptual as Pdq).quality }]);
  });

  test("/v1/check refuses a re-encoded, resized copy of withdrawn content, naming alg and distance; nothing is written", async () => {
    const distance = pdqDistance(pdqOf(original), (copy.perceptual as Pdq).value);
    expect(distance).toBeGreaterThan(0);
    expect(distance).toBeLessThanOrEqual(31);
    const before = await counts();
    expect(await check(copy.perceptual)).toEqual({
      allowed: false,
      publicationId,
      status: "takedown_required",
      reason: "revoked",
      nearDuplicate: { alg: "pdq", distance },
    });
    // The copy's SHA-256 alone is unknown: only perceptual fingerprints are matched near.
    expect(await check(copy.sha)).toMatchObject({ allowed: false, reason: "unknown" });
    expect(await counts()).toEqual(before);
  });

  test("a publication request for the copy is refused 409 content_withdrawn naming the blocked item, alg and distance; nothing stored", async () => {
    const before = await counts();
    const res = await request(copy.all);
    const distance = pdqDistance(pdqOf(original), (copy.perceptual as Pdq).value);
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ code: "content_withdrawn", status: 409 });
    const reason = `is a near-duplicate (pdq, distance ${distance}) of pdq:${pdqOf(original)}, which was withdrawn by a performer (publication ${publicationId})`;
    expect(res.body.errors).toEqual([{ pointer: "/body/contentFingerprints/1", reason }]);
    expect(res.body.detail).toContain(reason);
    expect(await counts()).toEqual(before);
  });

  test("the SDK gate refuses the copy with the near-duplicate's alg and distance; a vPDQ name alone is refused", async () => {
    const gate = createGate({ client: new Vergewis({ apiKey: platform.apiKey, baseUrl: server.url }) });
    expect(await gate({ fingerprint: copy.perceptual })).toMatchObject({
      allowed: false,
      reason: "revoked",
      source: "online",
      publicationId,
      nearDuplicate: { alg: "pdq", distance: pdqDistance(pdqOf(original), pdqOf(copy)) },
    });
    await expect(gate({ fingerprint: { alg: "vpdq", value: hex64() } })).rejects.toThrow(TypeError);
  });

  test("a PDQ sent without its quality is matched exactly only", async () => {
    const { value } = copy.perceptual as Pdq;
    expect(await check({ alg: "pdq", value })).toMatchObject({ allowed: false, reason: "unknown" });
    expect((await check({ alg: "pdq", value })).nearDuplicate).toBeUndefined();
  });

  test("an unrelated photo is neither refused nor allowed by it", async () => {
    const other = await fingerprintsOf(await photo("q0746.jpg"), "other.jpg");
    expect(await check(other.perceptual)).toEqual({ allowed: false, status: "unknown", reason: "unknown" });
  });
});

describe("allowing needs the exact fingerprint", () => {
  test("a near-duplicate of cleared content is not allowed; the consented file is", async () => {
    const bytes = await photo("q1050.jpg", 700);
    const original = await fingerprintsOf(bytes, "cleared.jpg");
    const copy = await fingerprintsOf(await reencoded(bytes), "cleared-copy.jpg");
    const { publication } = await consentedPublication(server, platform, {
      request: { contentFingerprints: original.all },
    });
    expect(await check(original.perceptual)).toMatchObject({ allowed: true, publicationId: publication.id });
    expect(await check(original.sha)).toMatchObject({ allowed: true, publicationId: publication.id });
    expect(await check(copy.perceptual)).toEqual({ allowed: false, status: "unknown", reason: "unknown" });
  });
});

describe("content under a report", () => {
  test("/v1/check refuses a near-duplicate of content with an open blocking report as reported", async () => {
    const bytes = await photo("q2821.jpg", 700);
    const original = await fingerprintsOf(bytes, "reported.jpg");
    const copy = await fingerprintsOf(await reencoded(bytes), "reported-copy.jpg");
    const { publication } = await consentedPublication(server, platform, {
      request: { contentFingerprints: original.all },
    });
    expect(await check(copy.perceptual)).toMatchObject({ allowed: false, reason: "unknown" });
    // A trusted flagger's report blocks at once (an anonymous one only puts the content under review).
    const flagger = await createFlagger(server.ctx.db, { name: "Near-duplicate hotline" });
    const report = await fetch(`${server.url}/v1/reports`, {
      method: "POST",
      headers: { "content-type": "application/json", ...bearer(flagger.token) },
      body: JSON.stringify({
        fingerprint: original.sha,
        category: "no_consent",
        description: "This photo shows me; I never agreed to it being published.",
      }),
    });
    expect(report.status).toBe(202);
    expect(await report.json()).toMatchObject({ reporter: "trusted_flagger", effect: "blocked" });
    // The report dropped the cached decision of the copy, whose own fingerprint it does not name.
    const result = await check(copy.perceptual);
    expect(result).toMatchObject({ allowed: false, reason: "reported", publicationId: publication.id });
    expect(result.nearDuplicate).toEqual({
      alg: "pdq",
      distance: pdqDistance(pdqOf(original), pdqOf(copy)),
    });
    // The report blocks the near-duplicate, not the consented file's own exact allowance alone.
    expect(await check(original.perceptual)).toMatchObject({ allowed: false, reason: "reported" });
  });
});

describe("a video's vPDQ", () => {
  let original: Awaited<ReturnType<typeof fingerprintsOf>>;
  let copy: Awaited<ReturnType<typeof fingerprintsOf>>;
  let publicationId: string;

  beforeAll(async () => {
    const source = makeVideo(path.join(tmp, "scene.mp4"), { source: "testsrc2", size: "640x360", seconds: 4 });
    // A real lower-bitrate re-encode at a smaller size.
    const lower = path.join(tmp, "scene-low.mp4");
    reencodeVideo(source, lower);
    original = await fingerprintsOf(fs.readFileSync(source), "scene.mp4");
    copy = await fingerprintsOf(fs.readFileSync(lower), "scene-low.mp4");
    expect(original.perceptual.alg).toBe("vpdq");
    ({ id: publicationId } = await withdrawn(original.all));
  });

  test("is stored by the digest of its frames, and each frame is indexed", async () => {
    const frames = (original.perceptual as Vpdq).frames;
    const publication = await platform.request<{ contentFingerprints: unknown[] }>(
      "GET",
      `/v1/publications/${publicationId}`,
    );
    expect(publication.body.contentFingerprints).toEqual([original.sha, { alg: "vpdq", value: vpdqDigest(frames) }]);
    expect(await server.ctx.db.perceptualHash.count({ where: { fingerprint: { publicationId } } })).toBe(frames.length);
  });

  test("/v1/check refuses a lower-bitrate re-encode of withdrawn video, naming vpdq and the distance", async () => {
    const before = await counts();
    const result = await check(copy.perceptual);
    expect(result).toMatchObject({ allowed: false, reason: "revoked", publicationId });
    expect(result.nearDuplicate).toMatchObject({ alg: "vpdq", queryMatchPercent: 100 });
    expect(result.nearDuplicate!.distance).toBeLessThanOrEqual(31);
    expect(await counts()).toEqual(before);
  });

  test("a publication request for the re-encode is refused 409 content_withdrawn; nothing stored", async () => {
    const before = await counts();
    const res = await request(copy.all);
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ code: "content_withdrawn" });
    expect(String(res.body.detail)).toMatch(
      new RegExp(
        `near-duplicate \\(vpdq, distance \\d+\\) of vpdq:${vpdqDigest((original.perceptual as Vpdq).frames)}`,
      ),
    );
    expect(String(res.body.detail)).toContain(publicationId);
    expect(await counts()).toEqual(before);
  });

  test("another video is not refused", async () => {
    const other = makeVideo(path.join(tmp, "other.mp4"), { source: "mandelbrot", size: "640x360", seconds: 4 });
    const { perceptual } = await fingerprintsOf(fs.readFileSync(other), "other.mp4");
    expect(await check(perceptual)).toEqual({ allowed: false, status: "unknown", reason: "unknown" });
  });
});

describe("bad perceptual fingerprints are refused with 400 and nothing is stored", () => {
  const frame = (i: number) => ({ t: i, value: hex64(), quality: 90 });
  const cases: Array<[string, unknown, string]> = [
    ["vpdq without frames", { alg: "vpdq" }, "/frames"],
    ["vpdq with a value instead of frames", { alg: "vpdq", value: hex64() }, ""],
    ["vpdq with no frames", { alg: "vpdq", frames: [] }, "/frames"],
    [
      `vpdq with ${MAX_VPDQ_FRAMES + 1} frames`,
      { alg: "vpdq", frames: Array.from({ length: MAX_VPDQ_FRAMES + 1 }, (_, i) => frame(i)) },
      "/frames",
    ],
    [
      "a frame hash that is not hex",
      { alg: "vpdq", frames: [frame(0), { ...frame(1), value: "g".repeat(64) }] },
      "/frames/1/value",
    ],
    ["a frame hash of 63 digits", { alg: "vpdq", frames: [{ ...frame(0), value: "a".repeat(63) }] }, "/frames/0/value"],
    ["a frame quality of 101", { alg: "vpdq", frames: [{ ...frame(0), quality: 101 }] }, "/frames/0/quality"],
    ["a frame quality of -1", { alg: "vpdq", frames: [{ ...frame(0), quality: -1 }] }, "/frames/0/quality"],
    ["a fractional frame quality", { alg: "vpdq", frames: [{ ...frame(0), quality: 50.5 }] }, "/frames/0/quality"],
    ["a negative frame time", { alg: "vpdq", frames: [{ ...frame(0), t: -1 }] }, "/frames/0/t"],
    ["an unknown frame field", { alg: "vpdq", frames: [{ ...frame(0), size: 3 }] }, "/frames/0"],
    ["a PDQ quality of 101", { alg: "pdq", value: hex64(), quality: 101 }, "/quality"],
    ["a PDQ quality that is text", { alg: "pdq", value: hex64(), quality: "90" }, "/quality"],
    ["frames on a PDQ", { alg: "pdq", value: hex64(), frames: [frame(0)] }, ""],
  ];

  for (const [name, fingerprint, pointer] of cases) {
    test(`${name}: publication request and check`, async () => {
      const before = await counts();
      const sha = { alg: "sha-256" as const, value: hex64() };
      const created = await request([sha, fingerprint as ContentFingerprintInput]);
      expect(created.status).toBe(400);
      expect(created.body).toMatchObject({ code: "invalid_request", status: 400 });
      const pointers = (created.body.errors as Array<{ pointer: string }>).map((e) => e.pointer);
      expect(pointers.some((p) => p.startsWith(`/body/contentFingerprints/1${pointer}`))).toBe(true);
      const checked = await platform.request<Record<string, unknown>>("POST", "/v1/check", { fingerprint });
      expect(checked.status).toBe(400);
      expect(checked.body).toMatchObject({ code: "invalid_request" });
      const checkPointers = (checked.body.errors as Array<{ pointer: string }>).map((e) => e.pointer);
      expect(checkPointers.some((p) => p.startsWith(`/body/fingerprint${pointer}`))).toBe(true);
      expect(await counts()).toEqual(before);
    });
  }
});

import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { createRequire } from "node:module";
import path from "node:path";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { pdqDistance, pdqFromImage, pdqFromPixels } from "@vergewis/sdk/fingerprint";
import { useBrowser } from "../support/chromium.ts";
import { startTestServer } from "../support/server.ts";

// The SDK's browser build of PDQ in real Chromium: a picture drawn on a canvas hashes as the Node
// build hashes the same pixels, so a person can hash a photo on their own device.

const browser = useBrowser();
const BRIDGE = path.resolve(import.meta.dirname, "../fixtures/pdq/bridge-1-original.jpg");
let server: http.Server;
let base: string;
const files = new Map<string, { type: string; body: Buffer }>();

beforeAll(async () => {
  const sdk = path.dirname(createRequire(import.meta.url).resolve("@vergewis/sdk/package.json"));
  const bundle = path.join(sdk, "dist", "pdq.browser.js");
  expect(fs.existsSync(bundle), "build the SDK first (npm run build)").toBe(true);
  files.set("/pdq.browser.js", { type: "text/javascript", body: fs.readFileSync(bundle) });
  files.set("/", { type: "text/html", body: Buffer.from("<!doctype html><title>PDQ</title>") });
  files.set("/photo.png", { type: "image/png", body: await sharp(BRIDGE).resize(800).png().toBuffer() });
  files.set("/photo.jpg", {
    type: "image/jpeg",
    body: await sharp(BRIDGE).resize(800).jpeg({ quality: 85 }).toBuffer(),
  });
  server = http.createServer((req, res) => {
    const file = files.get(req.url ?? "");
    if (!file) return res.writeHead(404).end();
    res.writeHead(200, { "content-type": file.type }).end(file.body);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

/** Draws the image on a canvas in the page and hashes its ImageData with the browser build. */
async function hashInBrowser(image: string) {
  const { page, errors } = await browser().newPage();
  await page.goto(`${base}/`);
  // A string, not a function: vitest rewrites `import()` in test code, and this runs in the page.
  const result = (await page.evaluate(`(async () => {
    const pdq = await import("/pdq.browser.js");
    const img = new Image();
    img.src = ${JSON.stringify(image)};
    await img.decode();
    const canvas = document.createElement("canvas");
    canvas.width = img.naturalWidth;
    canvas.height = img.naturalHeight;
    const context = canvas.getContext("2d");
    context.drawImage(img, 0, 0);
    const data = context.getImageData(0, 0, canvas.width, canvas.height);
    const { hash, quality } = pdq.pdqFromPixels({ data: data.data, width: data.width, height: data.height, channels: 4 });
    return { hash, quality, width: data.width, height: data.height, rgba: Array.from(data.data.subarray(0, 4096)) };
  })()`)) as { hash: string; quality: number; width: number; height: number; rgba: number[] };
  expect(errors).toEqual([]);
  await page.context().close();
  return result;
}

describe("PDQ in the browser", () => {
  test("the Vergewis server serves the SDK's browser build of PDQ", async () => {
    const vergewis = await startTestServer();
    try {
      const res = await fetch(`${vergewis.url}/assets/vendor/vergewis-pdq.js`);
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toMatch(/^text\/javascript/);
      expect(Buffer.from(await res.arrayBuffer()).equals(files.get("/pdq.browser.js")!.body)).toBe(true);
    } finally {
      await vergewis.close();
    }
  });

  test("a PNG drawn on a canvas: the same pixels and the same hash as Node", async () => {
    const inBrowser = await hashInBrowser("/photo.png");
    const { data, info } = await sharp(files.get("/photo.png")!.body)
      .ensureAlpha()
      .raw()
      .toBuffer({ resolveWithObject: true });
    expect(inBrowser.rgba).toEqual(Array.from(data.subarray(0, 4096)));
    const inNode = pdqFromPixels({ data, width: info.width, height: info.height, channels: 4 });
    expect(inBrowser).toMatchObject({ hash: inNode.hash, quality: inNode.quality, width: 800 });
  });

  test("a JPEG: Chromium's decoder and sharp's differ slightly, the hashes stay within a few bits", async () => {
    const inBrowser = await hashInBrowser("/photo.jpg");
    const { data, info } = await sharp(files.get("/photo.jpg")!.body).raw().toBuffer({ resolveWithObject: true });
    const inNode = pdqFromPixels({ data, width: info.width, height: info.height, channels: 3 });
    expect(pdqDistance(inBrowser.hash, inNode.hash)).toBeLessThanOrEqual(8);
    // And near what the SDK's Node reader (scaled to 512) gives for the file.
    expect(pdqDistance(inBrowser.hash, (await pdqFromImage(files.get("/photo.jpg")!.body)).hash)).toBeLessThanOrEqual(
      31,
    );
  });
});

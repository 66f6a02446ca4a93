import { createHash } from "node:crypto";
import path from "node:path";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { Fingerprint } from "@vergewis/sdk";
import { pdqDistance, pdqFromImage } from "@vergewis/sdk/fingerprint";
import { useBrowser } from "../support/chromium.ts";
import { consentedPublication } from "../support/consented.ts";
import { hex64 } from "../support/fixtures.ts";
import { TestPlatform } from "../support/platform.ts";
import { freshIdentity, newPerformer, startPortalServer } from "../support/portal.ts";
import type { TestServer } from "../support/server.ts";

// Report a photo without uploading it: in real Chromium, under the portal's CSP, the portal's page
// hashes a real photo on the device (WebCrypto SHA-256, the SDK's browser PDQ on the browser's own
// decode) and sends only the hashes; they match re-encoded copies published on two platforms.

const browser = useBrowser();
const BRIDGE = path.resolve(import.meta.dirname, "../fixtures/pdq/bridge-1-original.jpg");
let server: TestServer;
let photo: Buffer;
let platforms: Array<{ platform: TestPlatform; copy: Fingerprint & { alg: "pdq" } }>;

beforeAll(async () => {
  server = await startPortalServer();
  // The person's own file, and the copies two platforms published: other sizes, qualities, formats.
  photo = await sharp(BRIDGE).resize(1000).jpeg({ quality: 90 }).toBuffer();
  const copies = [
    await sharp(photo).resize(600).jpeg({ quality: 50 }).toBuffer(),
    await sharp(photo).resize(800).webp({ quality: 60 }).toBuffer(),
  ];
  platforms = [];
  for (const [i, bytes] of copies.entries()) {
    const platform = await TestPlatform.create(server, `Copy platform ${i + 1}`);
    const { hash, quality } = await pdqFromImage(bytes);
    const copy = { alg: "pdq", value: hash, quality } as const;
    await consentedPublication(server, platform, {
      request: { contentFingerprints: [{ alg: "sha-256", value: hex64() }, copy] },
    });
    platforms.push({ platform, copy });
  }
});
afterAll(() => server?.close());

const check = async (platform: TestPlatform, fingerprint: Fingerprint) =>
  (await platform.request<{ allowed: boolean; reason: string }>("POST", "/v1/check", { fingerprint })).body;

/** Opens the report page, picks the photo, explains and sends; returns what left the browser. */
async function reportInBrowser(options: { locale: string; cookies?: Array<{ name: string; value: string }> }) {
  const { page, errors } = await browser().newPage({ locale: options.locale });
  if (options.cookies) {
    await page.context().addCookies(options.cookies.map((c) => ({ ...c, url: server.url })));
  }
  const sent: Array<{ url: string; body: string | null }> = [];
  page.on("request", (r) => {
    if (r.method() !== "GET") sent.push({ url: r.url(), body: r.postData() });
  });
  await page.goto(`${server.url}/portal/report`);
  const intro = await page.textContent("main");
  await page.setInputFiles("#report-file", { name: "me.jpg", mimeType: "image/jpeg", buffer: photo });
  await page.fill("#report-description", "This is a photo of me, published without my consent.");
  await page.click("#report-submit");
  await page.waitForSelector("#report-status .notice.good", { timeout: 20_000 });
  const status = await page.textContent("#report-status");
  const hashes = await page.$$eval("#report-status code", (codes) => codes.map((c) => c.textContent));
  expect(errors).toEqual([]);
  await page.context().close();
  return { intro: intro!, status: status!, hashes, sent };
}

describe("report a photo without uploading it", () => {
  test("anonymously, in Dutch: only the hashes leave the browser; the copies are put under review", async () => {
    const { intro, status, hashes, sent } = await reportInBrowser({ locale: "nl-NL" });
    expect(intro).toContain("Alleen deze hashes verlaten je apparaat");
    expect(intro).toContain("Je meldt anoniem");
    expect(status).toContain("gaan haar beoordelen");
    // SHA-256 of the very bytes picked; PDQ of the browser's decode, near Node's decode of the same file.
    expect(hashes[0]).toBe(createHash("sha256").update(photo).digest("hex"));
    expect(pdqDistance(hashes[1]!, (await pdqFromImage(photo)).hash)).toBeLessThanOrEqual(16);
    // One request left the page: the report, holding hashes and words, not the photo.
    expect(sent.map((s) => new URL(s.url).pathname)).toEqual(["/portal/api/reports"]);
    const body = JSON.parse(sent[0]!.body!);
    expect(Object.keys(body).sort()).toEqual(["category", "description", "pdq", "sha256"]);
    expect(sent[0]!.body!.length).toBeLessThan(1000);
    for (const { platform, copy } of platforms) {
      const items = (await platform.request<{ items: any[] }>("GET", "/v1/reports")).body.items;
      expect(items).toMatchObject([{ reporter: "anonymous", effect: "under_review", algorithm: "pdq" }]);
      expect(items[0].distance).toBeGreaterThan(0);
      expect(await check(platform, copy)).toMatchObject({ allowed: true });
    }
  });

  test("signed in as a verified performer, in English: the copies on both platforms are blocked at once", async () => {
    const person = await newPerformer(server).onboard(freshIdentity("adult"));
    const jar = person.browser.cookies.get(new URL(server.url).host)!;
    const cookies = [...jar].map(([name, value]) => ({ name, value }));
    const { intro, status } = await reportInBrowser({ locale: "en-GB", cookies });
    expect(intro).toContain("Only these hashes leave your device");
    expect(intro).toContain("you report as a person in the picture");
    expect(status).toContain("copies of this picture are blocked");
    for (const { platform, copy } of platforms) {
      expect(await check(platform, copy)).toMatchObject({ allowed: false, reason: "reported" });
      const items = (await platform.request<{ items: any[] }>("GET", "/v1/reports")).body.items;
      expect(items.filter((r) => r.reporter === "depicted_person")).toMatchObject([
        { effect: "blocked", matchedBy: "fingerprint", algorithm: "pdq" },
      ]);
    }
  });
});

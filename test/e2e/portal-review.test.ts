import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, expect, test } from "vitest";
import { openRequestAsNewPerformer, usePortalSuite } from "../support/portal-browser.ts";
import { ReviewServer } from "../support/review-server.ts";
import { makeVideo } from "../support/video.ts";

// The performer sees exactly what they consent to: every content item of a request is fetched
// by their browser from the platform's review URL, checked against its sha-256 fingerprint and
// shown from the checked bytes; the passkey may sign only when every item checked out.

const { browser, server, platform, publicationStatus, reviewServer } = usePortalSuite("Oak Media");

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "vergewis-review-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
const photo = fs.readFileSync(new URL("../fixtures/pdq/bridge-1-original.jpg", import.meta.url));
const video = fs.readFileSync(makeVideo(path.join(tmp, "scene.mp4"), { seconds: 2 }));

test("each item, a photo and a video, is shown and checked; signing works only once every item checked out", async () => {
  const items = [reviewServer().add(photo, "image/jpeg"), reviewServer().add(video, "video/mp4")];
  const publication = await platform().publish({ ...ReviewServer.content(items), slots: [{ role: "uploader" }] });
  const { page, errors } = await browser().newPage();
  const release = reviewServer().hold(items[1]!);

  const csp = new Promise<string>((resolve) =>
    page.on(
      "response",
      (r) => r.url().includes("/portal/requests/") && resolve(r.headers()["content-security-policy"]!),
    ),
  );
  const slotId = await openRequestAsNewPerformer(page, server(), publication.invitations[0]!.url);
  // This page alone may fetch from the review origin; what it shows comes from blob: URLs.
  expect(await csp).toMatch(new RegExp(`connect-src 'self' ${reviewServer().url.replaceAll(".", "\\.")}(;|$)`));
  expect(await csp).toContain("media-src blob:");
  expect(await page.textContent('[data-field="platform-words"]')).toContain("are Oak Media’s own words and picture");
  expect(await page.textContent("dl.facts")).toContain("Title (by Oak Media)");

  const photoItem = page.locator(`li[data-sha256="${items[0]!.reviewItem.sha256}"]`);
  const videoItem = page.locator(`li[data-sha256="${items[1]!.reviewItem.sha256}"]`);
  await page.waitForSelector(`li[data-sha256="${items[0]!.reviewItem.sha256}"][data-state="verified"]`);
  expect(await photoItem.locator("img.review-media").evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(1600);
  // One item checked, the other still on its way: no consent yet.
  expect(await videoItem.getAttribute("data-state")).toBe("pending");
  expect(await page.isDisabled("#sign")).toBe(true);
  expect(await page.textContent("#review-waiting")).toContain("once every file above is shown and checked");

  release();
  await page.waitForSelector(`li[data-sha256="${items[1]!.reviewItem.sha256}"][data-state="verified"]`);
  expect(await videoItem.locator("video.review-media").getAttribute("src")).toMatch(/^blob:/);
  await page.waitForFunction(() => (document.querySelector("video.review-media") as HTMLVideoElement).readyState >= 1);
  expect(await videoItem.locator("video.review-media").evaluate((v: HTMLVideoElement) => v.videoWidth)).toBe(320);
  expect(await videoItem.textContent()).toContain("Checked: this is the file named in the request.");
  expect(await page.isDisabled("#sign")).toBe(false);
  await browser().screenshot(page, "portal-review-items");

  await page.click("#sign");
  await page.waitForURL(/\/portal\/consents\/[0-9a-f-]{36}$/);
  expect(await publicationStatus(publication.id)).toBe("cleared");
  const consent = await server().ctx.db.consent.findFirstOrThrow({ where: { slotId } });
  expect(JSON.parse(consent.document).reviewedItems).toEqual(
    items.map((i) => ({ sha256: i.reviewItem.sha256, verified: true })),
  );
  expect(errors).toEqual([]);
});

test("an item whose bytes do not match its fingerprint is not shown and cannot be signed, in English and Dutch", async () => {
  const items = [reviewServer().add(photo, "image/jpeg"), reviewServer().addPicture()];
  const publication = await platform().publish({ ...ReviewServer.content(items), slots: [{ role: "uploader" }] });
  // The platform serves other bytes than those it fingerprinted.
  reviewServer().tamper(items[1]!, fs.readFileSync(new URL("../fixtures/pdq/bridge-5-flipx.jpg", import.meta.url)));
  const { page, errors } = await browser().newPage();
  await openRequestAsNewPerformer(page, server(), publication.invitations[0]!.url);

  const tampered = `li[data-sha256="${items[1]!.reviewItem.sha256}"]`;
  await page.waitForSelector(`${tampered}[data-state="mismatch"]`);
  await page.waitForSelector(`li[data-sha256="${items[0]!.reviewItem.sha256}"][data-state="verified"]`);
  expect(await page.textContent(`${tampered} [role="alert"]`)).toBe(
    "This file is not the file named in the request: what Oak Media sent does not match its fingerprint. " +
      "You cannot give consent to this request. Decline it, or ask Oak Media to send the right file.",
  );
  expect(await page.locator(`${tampered} .review-view *`).count()).toBe(0);
  expect(await page.isDisabled("#sign")).toBe(true);
  await browser().screenshot(page, "portal-review-mismatch");

  await page.goto(`${page.url()}?lang=nl`);
  await page.waitForSelector(`${tampered}[data-state="mismatch"]`);
  expect(await page.textContent(`${tampered} [role="alert"]`)).toContain(
    "wat Oak Media stuurde, klopt niet met de vingerafdruk",
  );
  expect(await page.isDisabled("#sign")).toBe(true);
  expect(await publicationStatus(publication.id)).toBe("pending");
  expect(errors).toEqual([]);
});

import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, expect, test } from "vitest";
import { auditEventListSchema, Vergewis } from "@vergewis/sdk";
import { startExample, type RunningExample } from "../../packages/examples/src/index.ts";
import { runOperatorCommand } from "../../packages/server/src/operator/commands.ts";
import type { IssuedAuditorToken } from "../../packages/server/src/audit/auditor-token.ts";
import { addVirtualAuthenticator, useBrowser } from "../support/chromium.ts";
import { invitationIn } from "../support/mail.ts";
import { freshIdentity, startPortalServer } from "../support/portal.ts";
import { signInAtProvider } from "../support/portal-browser.ts";
import type { TestServer } from "../support/server.ts";
import { producedToday } from "../support/fixtures.ts";

// The whole loop, as issue 8 promises it: a platform uploads content with two people in it, both
// consent in the portal in a real browser, the item goes live, one withdraws, the webhook reaches
// the platform, which deletes the file (410) and acknowledges; the auditor sees the acknowledgement,
// and the same file cannot come back.

const browser = useBrowser();
let server: TestServer;
let example: RunningExample;
let vergewis: Vergewis;
let dataDir: string;

beforeAll(async () => {
  server = await startPortalServer();
  const { apiKey } = await server.createPlatform("Example platform");
  vergewis = new Vergewis({ apiKey, baseUrl: server.url });
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "vergewis-e2e-platform-"));
  // No fallback poll: the takedown must arrive by webhook.
  example = await startExample({ vergewisUrl: server.url, apiKey, dataDir, port: 0, takedownPollMs: 0 });
});
afterAll(async () => {
  await example?.close();
  await server?.close();
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
});

function uploadForm(file: Buffer): FormData {
  const form = new FormData();
  form.append("title", "Beach scene");
  form.append("uploaderDepicted", "yes");
  form.append("coPerformers", "co-performer@example.test");
  form.append("territories", "NL, BE");
  form.append("producedAt", producedToday());
  form.append("file", new Blob([new Uint8Array(file)], { type: "image/png" }), "beach.png");
  return form;
}

/** One performer, in a browser context of their own: onboarding at the invitation, then consent. */
async function consent(invitationUrl: string, shot: string): Promise<{ page: Page; consentId: string }> {
  const { page, errors } = await browser().newPage();
  await page.goto(invitationUrl);
  await addVirtualAuthenticator(page);
  await page.click('a[href="/portal/onboarding"]');
  await page.click('a[href^="/portal/verify/start"]');
  await signInAtProvider(page, freshIdentity("adult"));
  await page.waitForURL(`${server.url}/portal/onboarding`);
  await page.click('button[data-passkey="register"]');
  await page.waitForURL(`${server.url}/portal/invitation`);
  await page.click("#continue");
  await page.waitForURL(/\/portal\/requests\//);
  expect(await page.textContent("main")).toContain("Example platform");
  await browser().screenshot(page, `${shot}-request`);
  await page.click("#sign");
  await page.waitForURL(/\/portal\/consents\/[0-9a-f-]{36}$/);
  expect(await page.textContent('[data-status="active"]')).toBe("Active");
  await browser().screenshot(page, `${shot}-consent`);
  expect(errors).toEqual([]);
  return { page, consentId: new URL(page.url()).pathname.split("/").at(-1)! };
}

test("upload → two performers consent in the portal → live → one withdraws → webhook → 410 and acknowledged → re-upload refused", async () => {
  // The platform side over HTTP: a unique PNG (so that the browser shows it once it is live).
  const { page: uploader } = await browser().newPage();
  await uploader.setContent(`<p style="font:48px sans-serif">Beach scene ${randomBytes(8).toString("hex")}</p>`);
  const file = await uploader.screenshot({ clip: { x: 0, y: 0, width: 640, height: 120 } });
  const uploaded = await fetch(`${example.url}/uploads`, {
    method: "POST",
    body: uploadForm(file),
    redirect: "manual",
  });
  expect(uploaded.status).toBe(303);
  const pagePath = uploaded.headers.get("location")!;
  const id = pagePath.split("/").at(-1)!;

  // The uploader's page (in the session that uploaded) shows their own invitation link and that
  // Vergewis mailed the co-performer's; the co-performer's link comes from that mail.
  const [name, value] = uploaded.headers.get("set-cookie")!.split(";")[0]!.split("=") as [string, string];
  await uploader.context().addCookies([{ name, value, url: example.url }]);
  await uploader.goto(`${example.url}${pagePath}`);
  const own = await uploader.$$eval('a[href*="/portal/"]', (as) => as.map((a) => (a as HTMLAnchorElement).href));
  expect(own).toHaveLength(1);
  expect(await uploader.textContent("body")).toContain("mailed by Vergewis");
  const mailed = invitationIn(await server.mail.waitForMail("co-performer@example.test"));
  const links = [own[0]!, mailed.url];
  await browser().screenshot(uploader, "platform-01-upload-page");
  expect((await fetch(`${example.url}/media/${id}`)).status).toBe(403);

  const first = await consent(links[0]!, "platform-02-performer-1");
  expect((await fetch(`${example.url}/media/${id}`)).status).toBe(403);
  await consent(links[1]!, "platform-03-performer-2");

  // Live: the platform serves the file.
  const live = await uploader.goto(`${example.url}/media/${id}`);
  expect(live!.status()).toBe(200);
  expect(Buffer.from(await live!.body()).equals(file)).toBe(true);
  await browser().screenshot(uploader, "platform-04-live");

  // The first performer withdraws, with their passkey.
  const { page, consentId } = first;
  await page.click(`a[href="/portal/consents/${consentId}/revoke"]`);
  await page.click("#revoke");
  await page.waitForURL(`${server.url}/portal/consents/${consentId}`);

  // The webhook reaches the platform: the file is deleted, the takedown acknowledged.
  const { publicationId } = (await example.store.get(id))!;
  const deadline = Date.now() + 15_000;
  let takedown = (await vergewis.takedowns.list({ publicationId })).items[0];
  while (takedown?.status !== "acknowledged" && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    takedown = (await vergewis.takedowns.list({ publicationId })).items[0];
  }
  expect(takedown).toMatchObject({ status: "acknowledged", reason: "revocation", consentId });
  expect(fs.existsSync(path.join(dataDir, "files", id))).toBe(false);
  const gone = await uploader.goto(`${example.url}/media/${id}`);
  expect(gone!.status()).toBe(410);
  await browser().screenshot(uploader, "platform-05-gone");

  // The performer sees that the platform confirmed the removal.
  await page.reload();
  await page.waitForSelector('[data-takedown="removed"] [data-step="removed"]');
  await browser().screenshot(page, "platform-06-performer-removed");

  // The auditor: the acknowledgement is in the log, through the API and in the console.
  const auditor = (await runOperatorCommand({ db: server.ctx.db, config: server.ctx.config }, "auditor.create", {
    platformId: null,
  })) as IssuedAuditorToken;
  const events = await fetch(`${server.url}/v1/audit/events?publication=${publicationId}`, {
    headers: { authorization: `Bearer ${auditor.token}` },
  });
  const types = auditEventListSchema.parse(await events.json()).items.map((e) => e.type);
  expect(types).toEqual(expect.arrayContaining(["consent.revoked", "takedown.requested", "takedown.acknowledged"]));
  expect(types.indexOf("takedown.acknowledged")).toBeGreaterThan(types.indexOf("takedown.requested"));
  const { page: console } = await browser().newPage();
  await console.goto(`${server.url}/audit/login`);
  await console.fill("#token", auditor.token);
  await console.click("button[type=submit]");
  await console.waitForURL(`${server.url}/audit`);
  await console.goto(`${server.url}/audit/events?publication=${publicationId}`);
  expect(await console.textContent("main")).toContain("takedown.acknowledged");
  await browser().screenshot(console, "platform-07-audit-log");

  // The same file cannot come back, under any title.
  const again = await fetch(`${example.url}/uploads`, { method: "POST", body: uploadForm(file), redirect: "manual" });
  expect(again.status).toBe(409);
  expect(await again.text()).toContain("someone in it withdrew their consent");
}, 120_000);

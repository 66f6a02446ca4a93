import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { acknowledge, auditorToken, clearedPublication, takedown } from "../support/audit.ts";
import { paintedPixels, useBrowser } from "../support/chromium.ts";
import { startTestServer, type TestServer } from "../support/server.ts";

// The auditor console in a real browser: sign in with a token, see the charts drawn, open an
// entry and watch its inclusion proof verified by the SDK's verifier running in the page.

const browser = useBrowser();
let server: TestServer;
let token: string;
let overdueIndex: number;

beforeAll(async () => {
  const sdk = path.dirname(createRequire(import.meta.url).resolve("@vergewis/sdk/package.json"));
  expect(fs.existsSync(path.join(sdk, "dist", "log.browser.js")), "build the SDK first (npm run build)").toBe(true);
  server = await startTestServer();
  const platform = await server.createPlatform("Alpha", 60);
  token = await auditorToken(server.ctx.db, null);
  for (const minutes of [5, 20, 45, 90]) {
    const publication = await clearedPublication(server.ctx.db, server.url, platform.apiKey);
    const { takedownId } = await takedown(server.ctx.db, publication.id);
    await acknowledge(server.ctx.db, takedownId, new Date(Date.now() + minutes * 60_000));
  }
  await server.ctx.db.platform.update({ where: { id: platform.id }, data: { slaSeconds: 0 } });
  const overdue = await clearedPublication(server.ctx.db, server.url, platform.apiKey);
  await takedown(server.ctx.db, overdue.id);
  overdueIndex = Number(
    (
      await server.ctx.db.auditEvent.findFirstOrThrow({
        where: { type: "takedown.requested", publicationId: overdue.id },
      })
    ).index,
  );
}, 120_000);
afterAll(() => server?.close());

async function signIn() {
  const { page, errors } = await browser().newPage();
  await page.goto(`${server.url}/audit`);
  expect(new URL(page.url()).pathname).toBe("/audit/login");
  await page.fill("#token", token);
  await page.click("button[type=submit]");
  await page.waitForURL(`${server.url}/audit`);
  return { page, errors };
}

describe("auditor console in Chromium", () => {
  test("signs in with a token and draws the takedown latency and SLA charts", async () => {
    const { page, errors } = await signIn();
    await page.waitForSelector("#chart-latency[data-rendered=true] canvas");
    await page.waitForSelector("#chart-sla[data-rendered=true] canvas");
    expect(await paintedPixels(page, "#chart-latency canvas")).toBeGreaterThan(100);
    expect(await paintedPixels(page, "#chart-sla canvas")).toBeGreaterThan(100);
    expect(await page.textContent("#stat-takedowns .value")).toBe("5");
    expect(await page.textContent("#stat-compliance .value")).toBe("60%");
    expect(await page.locator("#overdue tbody tr").count()).toBe(1);
    await browser().screenshot(page, "audit-dashboard");
    expect(errors).toEqual([]);
  });

  test("verifies an entry's inclusion proof in the browser", async () => {
    const { page, errors } = await signIn();
    await page.click(`#overdue a[href="/audit/events/${overdueIndex}"]`);
    await page.waitForSelector("#proof-status[data-state=verified]", { timeout: 15_000 });
    expect(await page.getAttribute("#proof-status", "class")).toBe("notice ok");
    expect(await page.textContent("h1")).toBe(`Log entry ${overdueIndex}`);
    await browser().screenshot(page, "audit-event-verified");
    expect(errors).toEqual([]);
  });

  test("shows a failed proof when the entry was changed behind the log's back", async () => {
    const { page } = await signIn();
    const sql = async (statement: string) =>
      server.ctx.db.$transaction(async (tx) => {
        await tx.$executeRawUnsafe(`ALTER TABLE "AuditEvent" DISABLE TRIGGER USER`);
        await tx.$executeRawUnsafe(statement);
        await tx.$executeRawUnsafe(`ALTER TABLE "AuditEvent" ENABLE TRIGGER USER`);
      });
    // The attacker changes the deadline in the entry and recomputes its leaf hash to match.
    await sql(
      `UPDATE "AuditEvent" SET "entry" = regexp_replace("entry", '"dueAt":"[^"]*"', '"dueAt":"2099-01-01T00:00:00.000Z"'),
       "leafHash" = sha256('\\x00'::bytea || convert_to(regexp_replace("entry", '"dueAt":"[^"]*"', '"dueAt":"2099-01-01T00:00:00.000Z"'), 'UTF8'))
       WHERE "index" = ${overdueIndex}`,
    );
    await page.goto(`${server.url}/audit/events/${overdueIndex}`);
    await page.waitForSelector("#proof-status[data-state=failed]", { timeout: 15_000 });
    expect(await page.textContent("#proof-status")).toContain("[inclusion_proof_invalid]");
    await browser().screenshot(page, "audit-event-tampered");
  });

  test("speaks Dutch", async () => {
    const { page } = await signIn();
    await page.click('a[hreflang="nl"]');
    await page.waitForSelector('html[lang="nl"]');
    expect(await page.textContent("h1")).toBe("Overzicht");
    expect(await page.textContent("nav.sections")).toContain("Gebeurtenissen");
  });
});

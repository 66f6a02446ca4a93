import { describe, expect, test } from "vitest";
import { verifyConsentSignature } from "@vergewis/sdk";
import { addVirtualAuthenticator } from "../support/chromium.ts";
import { freshIdentity } from "../support/portal.ts";
import {
  openRequestAsNewPerformer,
  PREVIEW_URL,
  servePreview,
  signInAtProvider,
  usePortalSuite,
} from "../support/portal-browser.ts";

// The whole life of a performer in a real browser with a platform authenticator (DevTools
// WebAuthn): invitation → age verification at the identity provider → passkey → consent →
// withdrawal → takedown; then their data and the end of their account.

const { browser, server, platform, publicationStatus } = usePortalSuite("Maple Media");

const validUntil = () => new Date(Date.now() + 400 * 86_400_000).toISOString();

describe("performer portal in Chromium", () => {
  test("a new performer goes from invitation to signed consent to withdrawal and takedown", async () => {
    const publication = await platform().publish({
      title: "Summer shoot, scene 3",
      previewUrl: PREVIEW_URL,
      slots: [{ role: "uploader" }],
      scope: { purposes: ["publish", "promote"], territories: ["NL", "BE", "DE"], validUntil: validUntil() },
    });
    const { page, errors } = await browser().newPage();
    await servePreview(page);

    // The invitation link: who asks, for what; no preview before the person has shown who they are.
    await page.goto(publication.invitations[0]!.url);
    expect(new URL(page.url()).pathname).toBe("/portal/invitation");
    expect(await page.textContent("h1")).toBe("Maple Media asks for your consent");
    expect(await page.locator("img").count()).toBe(0);
    await browser().screenshot(page, "portal-01-invitation");
    const authenticator = await addVirtualAuthenticator(page);

    // Onboarding: age at the identity provider, then a passkey.
    await page.click('a[href="/portal/onboarding"]');
    expect(await page.textContent("main")).toContain("Step 1 of 2");
    await browser().screenshot(page, "portal-02-onboarding-age");
    await page.click('a[href^="/portal/verify/start"]');
    await page.waitForSelector('input[name="login"]');
    await browser().screenshot(page, "portal-03-identity-provider");
    await signInAtProvider(page, freshIdentity("adult"));
    await page.waitForURL(`${server().url}/portal/onboarding`);
    expect(await page.textContent("main")).toContain("Step 2 of 2");
    await browser().screenshot(page, "portal-04-onboarding-passkey");
    await page.click('button[data-passkey="register"]');
    await page.waitForURL(`${server().url}/portal/invitation`);
    expect(await authenticator.credentials()).toBe(1);

    // The request: preview, scope in plain words, fingerprints, what withdrawing does.
    await page.click("#continue");
    await page.waitForURL(/\/portal\/requests\//);
    await page.waitForFunction(() => (document.querySelector("img.preview") as HTMLImageElement | null)?.complete);
    expect(await page.$eval("img.preview", (img) => (img as HTMLImageElement).naturalWidth)).toBe(640);
    expect(await page.textContent('[data-scope="where"]')).toBe("Only in Belgium, Germany and the Netherlands.");
    expect(await page.textContent('[data-scope="purposes"]')).toBe(
      "Show it on Maple Media.Use it in advertising and previews of Maple Media.",
    );
    expect(await page.textContent(".fingerprints")).toContain(publication.contentFingerprints[0]!.value);
    expect(await page.textContent("#revoke-info-title + p")).toContain("must take it down within 24 hours");
    await browser().screenshot(page, "portal-05-request");

    await page.click("#sign");
    await page.waitForURL(/\/portal\/consents\/[0-9a-f-]{36}$/);
    const consentId = new URL(page.url()).pathname.split("/").at(-1)!;
    expect(await page.textContent('[data-status="active"]')).toBe("Active");
    expect(await publicationStatus(publication.id)).toBe("cleared");
    await browser().screenshot(page, "portal-06-consent");

    await page.click('nav a[href="/portal"]');
    expect(await page.textContent(`li[data-consent="${consentId}"] [data-status]`)).toBe("Active");
    await browser().screenshot(page, "portal-07-dashboard");

    // Withdrawal: the consequences, one passkey confirmation, then the takedown's progress.
    await page.click(`a[href="/portal/consents/${consentId}/revoke"]`);
    expect(await page.textContent("main ol")).toContain(
      "Maple Media is told at once and must take it down within 24 hours.",
    );
    await browser().screenshot(page, "portal-08-withdraw");
    await page.click("#revoke");
    await page.waitForURL(`${server().url}/portal/consents/${consentId}`);
    await page.waitForSelector('[data-takedown="requested"] [data-step="waiting"]');
    expect(await publicationStatus(publication.id)).toBe("takedown_required");
    const takedowns = await platform().request<{ items: Array<{ id: string }> }>(
      "GET",
      `/v1/takedowns?status=open&publicationId=${publication.id}`,
    );
    expect(takedowns.body.items).toEqual([
      expect.objectContaining({ reason: "revocation", consentId, status: "open", acknowledgedAt: null }),
    ]);
    await browser().screenshot(page, "portal-09-takedown-requested");

    // The platform removes the content and says so; the performer sees it.
    const ack = await platform().request("POST", `/v1/takedowns/${takedowns.body.items[0]!.id}/ack`, {
      removedAt: new Date().toISOString(),
    });
    expect(ack.status).toBe(200);
    await page.reload();
    await page.waitForSelector('[data-takedown="removed"] [data-step="removed"]');
    await page.click('nav a[href="/portal"]');
    expect(await page.textContent(`li[data-consent="${consentId}"]`)).toMatch(
      /Withdrawn just now[\s\S]*Removed: Maple Media confirmed on/,
    );
    await browser().screenshot(page, "portal-10-dashboard-removed");
    expect(errors).toEqual([]);
  });

  test("downloads all data, then deletes the account with one passkey signature", async () => {
    const publication = await platform().publish({ slots: [{ role: "uploader" }] });
    const { page, errors } = await browser().newPage();
    await openRequestAsNewPerformer(page, server(), publication.invitations[0]!.url);
    await page.click("#sign");
    await page.waitForURL(/\/portal\/consents\//);

    await page.click('nav a[href="/portal/data"]');
    const [download] = await Promise.all([page.waitForEvent("download"), page.click('a[href="/portal/data/export"]')]);
    const data = JSON.parse(await streamText(await download.createReadStream()));
    expect(download.suggestedFilename()).toMatch(/^vergewis-prf_[\w-]+-\d{4}-\d{2}-\d{2}\.json$/);
    expect(data.consents).toHaveLength(1);
    // The evidence in the download checks out offline, as the page says.
    await expect(
      verifyConsentSignature(data.consents[0].evidence, {
        expectedOrigin: server().url,
        expectedRpId: "localhost",
      }),
    ).resolves.toMatchObject({ credentialId: data.consents[0].evidence.credentialId });
    await browser().screenshot(page, "portal-11-data");

    await page.click('nav a[href="/portal/account"]');
    expect(await page.locator("#passkeys li").count()).toBe(1);
    await browser().screenshot(page, "portal-13-account");
    await page.click('a[href="/portal/account/delete"]');
    expect(await page.textContent("#delete-revokes")).toContain(publication.title);
    await page.click("#delete");
    expect(await page.textContent('#passkey-status [role="alert"]')).toBe("Tick the box first to confirm.");
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("confirm-delete");
    await page.check("#confirm-delete");
    await browser().screenshot(page, "portal-12-delete");
    await page.click("#delete");
    await page.waitForURL(`${server().url}/portal/goodbye`);
    expect(await page.textContent("h1")).toBe("Your account is deleted");
    expect(await publicationStatus(publication.id)).toBe("takedown_required");

    // The passkey no longer opens anything; the message does not say why.
    await page.goto(`${server().url}/portal/login`);
    await page.click('button[data-passkey="login"]');
    await page.waitForSelector("#passkey-status .bad");
    expect(await page.textContent('#passkey-status [role="alert"]')).toBe(
      "Your passkey could not be checked. Try again, or use another passkey.",
    );
    expect(errors.filter((e) => !e.includes("/portal/api/login"))).toEqual([]);
  });
});

async function streamText(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as Buffer));
  return Buffer.concat(chunks).toString("utf8");
}

import type { Page } from "playwright-core";
import { describe, expect, test } from "vitest";
import { addVirtualAuthenticator } from "../support/chromium.ts";
import { freshIdentity } from "../support/portal.ts";
import { onboardInBrowser, signInAtProvider, usePortalSuite } from "../support/portal-browser.ts";

// A performer made their account and passkey on one device, then opens an invitation on another
// (a new browser context with an authenticator of its own) and gets back in the documented way:
// verifying their identity again.

const { browser, server, platform, publicationStatus } = usePortalSuite("Cedar Studio");

/** The first device: an account and a passkey, for `identity`. */
async function firstDevice(identity: string): Promise<void> {
  const { page } = await browser().newPage();
  await page.goto(`${server().url}/portal/login`);
  await addVirtualAuthenticator(page);
  await onboardInBrowser(page, server(), identity);
  await page.context().close();
}

/** On the new device: the invitation, then "Get started", the identity provider, and back. */
async function reverify(page: Page, invitationUrl: string, identity: string): Promise<void> {
  await page.goto(invitationUrl);
  await page.click('a[href="/portal/onboarding"]');
  await page.click('a[href^="/portal/verify/start"]');
  await signInAtProvider(page, identity);
  await page.waitForURL(`${server().url}/portal/onboarding`);
}

describe("a returning performer on a new device", () => {
  test("verifies again, creates a passkey on this device, and signs the invitation with it", async () => {
    const identity = freshIdentity("adult");
    await firstDevice(identity);
    const publication = await platform().publish({ title: "Studio session 4", slots: [{ role: "uploader" }] });

    const { page, errors } = await browser().newPage();
    await page.goto(`${server().url}/portal/login`);
    const authenticator = await addVirtualAuthenticator(page);
    await reverify(page, publication.invitations[0]!.url, identity);
    expect(await page.textContent("h1")).toBe("Welcome back");
    expect(await page.getAttribute("#use-existing", "href")).toBe("/portal/invitation");
    await browser().screenshot(page, "new-device-01-choice");

    await page.click('button[data-passkey="register"]');
    await page.waitForURL(`${server().url}/portal/invitation`);
    expect(await authenticator.credentials()).toBe(1);
    await page.click("#continue");
    await page.waitForURL(/\/portal\/requests\/[0-9a-f-]{36}$/);
    await page.click("#sign");
    await page.waitForURL(/\/portal\/consents\/[0-9a-f-]{36}$/);
    expect(await page.textContent('[data-status="active"]')).toBe("Active");
    expect(await publicationStatus(publication.id)).toBe("cleared");
    await browser().screenshot(page, "new-device-02-signed");
    expect(errors).toEqual([]);
  }, 120_000);

  test("in Dutch, the choice names both ways; going on with a passkey they have leads to the invitation", async () => {
    const identity = freshIdentity("adult");
    await firstDevice(identity);
    const publication = await platform().publish({ slots: [{ role: "uploader" }] });

    const { page, errors } = await browser().newPage({ locale: "nl-NL" });
    await reverify(page, publication.invitations[0]!.url, identity);
    expect(await page.textContent("h1")).toBe("Welkom terug");
    expect(await page.textContent('button[data-passkey="register"]')).toBe("Passkey maken op dit apparaat");
    await browser().screenshot(page, "new-device-03-choice-nl");
    await page.click("#use-existing");
    await page.waitForURL(`${server().url}/portal/invitation`);
    expect(await page.isVisible("#continue")).toBe(true);
    expect(errors).toEqual([]);
  }, 120_000);
});

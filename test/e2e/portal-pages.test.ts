import http from "node:http";
import type { AddressInfo } from "node:net";
import type { Page } from "playwright-core";
import { describe, expect, test } from "vitest";
import { en, nl } from "../../packages/server/src/portal/pages/messages.ts";
import { addVirtualAuthenticator } from "../support/chromium.ts";
import { freshIdentity } from "../support/portal.ts";
import {
  expectNoHorizontalScroll,
  onboardInBrowser,
  openRequestAsNewPerformer,
  PREVIEW_URL,
  servePreview,
  signInAtProvider,
  usePortalSuite,
} from "../support/portal-browser.ts";

// The portal's other paths in Chromium: declining on a phone-sized screen, a minor refused, every
// page in Dutch, signing with the keyboard alone, and forged requests refused.

const { browser, server, platform, publicationStatus } = usePortalSuite("Tulip Studios");

const PHONE = { width: 360, height: 740 };

/** English texts that differ in Dutch, cut at their placeholders: none may show on a Dutch page. */
const englishFragments = (Object.keys(en) as Array<keyof typeof en>)
  .filter((key) => en[key] !== nl[key])
  .flatMap((key) => en[key].split(/\{\w+\}/))
  .map((fragment) => fragment.trim())
  .filter((fragment) => fragment.length >= 12);

async function expectDutch(page: Page): Promise<void> {
  expect(await page.getAttribute("html", "lang")).toBe("nl");
  const text = await page.innerText("body");
  expect(englishFragments.filter((fragment) => text.includes(fragment))).toEqual([]);
}

describe("performer portal in Chromium", () => {
  test("declines a request on a 360 px wide screen, without scrolling sideways", async () => {
    const publication = await platform().publish({ previewUrl: PREVIEW_URL, slots: [{ role: "co-performer" }] });
    const { page, errors } = await browser().newPage({ viewport: PHONE });
    await servePreview(page);
    await page.goto(publication.invitations[0]!.url);
    await expectNoHorizontalScroll(page);
    await browser().screenshot(page, "portal-phone-01-invitation");
    await addVirtualAuthenticator(page);
    await onboardInBrowser(page, server(), freshIdentity("adult"));
    await expectNoHorizontalScroll(page);
    await page.click("#continue");
    await page.waitForURL(/\/portal\/requests\//);
    await page.waitForFunction(() => (document.querySelector("img.preview") as HTMLImageElement | null)?.complete);
    await expectNoHorizontalScroll(page);
    await browser().screenshot(page, "portal-phone-02-request");

    await page.click("#decline");
    await page.waitForSelector('[data-outcome="declined"]');
    expect(await page.locator("#sign").count()).toBe(0);
    expect(await publicationStatus(publication.id)).toBe("declined");
    await page.click('nav a[href="/portal"]');
    expect(await page.textContent("[data-status]")).toBe("Declined");
    await expectNoHorizontalScroll(page);
    await browser().screenshot(page, "portal-phone-03-dashboard");
    expect(errors).toEqual([]);
  });

  test("refuses an identity under 18, creates no account and says so calmly", async () => {
    const publication = await platform().publish({ slots: [{ role: "uploader" }] });
    const performers = await server().ctx.db.performer.count();
    const { page } = await browser().newPage();
    await page.goto(publication.invitations[0]!.url);
    await page.click('a[href="/portal/onboarding"]');
    await page.click('a[href^="/portal/verify/start"]');
    await signInAtProvider(page, freshIdentity("minor"));
    await page.waitForSelector('[data-refusal="under_18"]');
    expect(await page.textContent("h1")).toBe("You must be 18 or older");
    expect(await page.textContent("main")).toContain("no account was created");
    expect(await server().ctx.db.performer.count()).toBe(performers);
    expect(await publicationStatus(publication.id)).toBe("pending");
    await browser().screenshot(page, "portal-under-18");
  });

  test("speaks Dutch on every page, from invitation to withdrawal, for a Dutch browser", async () => {
    const publication = await platform().publish({
      slots: [{ role: "uploader" }],
      scope: {
        purposes: ["publish", "syndicate"],
        territories: ["NL", "BE"],
        validUntil: new Date(Date.now() + 90 * 86_400_000).toISOString(),
      },
    });
    const { page, errors } = await browser().newPage({ locale: "nl-NL" });
    await page.goto(`${server().url}/portal/login`);
    expect(await page.textContent("h1")).toBe("Inloggen");
    await expectDutch(page);
    await browser().screenshot(page, "portal-nl-login");
    await page.goto(publication.invitations[0]!.url);
    expect(await page.textContent("h1")).toBe("Tulip Studios vraagt om je toestemming");
    await expectDutch(page);
    await addVirtualAuthenticator(page);
    await page.click('a[href="/portal/onboarding"]');
    await expectDutch(page);
    await page.click('a[href^="/portal/verify/start"]');
    await signInAtProvider(page, freshIdentity("adult"));
    await page.waitForURL(`${server().url}/portal/onboarding`);
    await expectDutch(page);
    await page.click('button[data-passkey="register"]');
    await page.waitForURL(`${server().url}/portal/invitation`);
    await expectDutch(page);
    await page.click("#continue");
    await page.waitForURL(/\/portal\/requests\//);
    expect(await page.textContent('[data-scope="where"]')).toBe("Alleen in België en Nederland.");
    expect(await page.textContent('[data-scope="purposes"]')).toBe(
      "Het tonen op Tulip Studios.Het doorgeven aan partnerwebsites van Tulip Studios.",
    );
    await expectDutch(page);
    await browser().screenshot(page, "portal-nl-request");
    await page.click("#sign");
    await page.waitForURL(/\/portal\/consents\//);
    const consentPath = new URL(page.url()).pathname;
    await expectDutch(page);
    for (const path of [
      "/portal",
      "/portal/data",
      "/portal/account",
      "/portal/account/delete",
      `${consentPath}/revoke`,
    ]) {
      await page.goto(`${server().url}${path}`);
      await expectDutch(page);
    }
    await browser().screenshot(page, "portal-nl-withdraw");
    await page.click("#revoke");
    await page.waitForURL(`${server().url}${consentPath}`);
    await page.waitForSelector('[data-takedown="requested"]');
    await expectDutch(page);
    await browser().screenshot(page, "portal-nl-takedown");

    // The switcher changes the language, and the choice sticks.
    await page.click('a[hreflang="en"]');
    await page.waitForSelector('html[lang="en"]');
    expect(await page.textContent("#progress-title")).toBe("What happens now");
    await page.goto(`${server().url}/portal`);
    expect(await page.textContent("h1")).toBe("Your consents");
    expect(errors).toEqual([]);
  });

  test("signs with the keyboard alone, with a visible focus on each control", async () => {
    const publication = await platform().publish({ slots: [{ role: "uploader" }] });
    const { page, errors } = await browser().newPage();
    await openRequestAsNewPerformer(page, server(), publication.invitations[0]!.url);

    await page.keyboard.press("Tab");
    expect(await page.evaluate(() => document.activeElement?.className)).toBe("skip");
    const focused = await tabTo(page, "sign");
    expect(focused.outline).toMatch(/^rgb\(180, 83, 9\) solid 3px$/);
    await browser().screenshot(page, "portal-keyboard-focus");
    await page.keyboard.press("Enter");
    await page.waitForURL(/\/portal\/consents\//);
    expect(await publicationStatus(publication.id)).toBe("cleared");

    // The withdrawal works the same way.
    await tabTo(page, "", 'a[href$="/revoke"]');
    await page.keyboard.press("Enter");
    await page.waitForURL(/\/revoke$/);
    await tabTo(page, "revoke");
    await page.keyboard.press("Enter");
    await page.waitForSelector('[data-takedown="requested"]');
    expect(await publicationStatus(publication.id)).toBe("takedown_required");
    expect(errors).toEqual([]);
  });

  test("refuses forged requests: from another site, and without the CSRF token", async () => {
    const publication = await platform().publish({ slots: [{ role: "uploader" }] });
    const { page } = await browser().newPage();
    const slotId = await openRequestAsNewPerformer(page, server(), publication.invitations[0]!.url);
    const target = `${server().url}/portal/requests/${slotId}/decline`;

    // A page on another site posts the decline form on the performer's behalf.
    const attacker = http.createServer((_req, res) => {
      res.writeHead(200, { "content-type": "text/html" });
      res.end(`<form method="post" action="${target}"><input name="csrf" value="guess"></form>
<script>document.forms[0].submit()</script>`);
    });
    await new Promise<void>((resolve) => attacker.listen(0, "127.0.0.1", resolve));
    try {
      const refused = page.waitForResponse((r) => r.url() === target);
      await page.goto(`http://127.0.0.1:${(attacker.address() as AddressInfo).port}/`);
      expect((await refused).status()).toBe(403);
      await page.waitForURL(target);
      expect(await page.textContent("main")).toContain("This page was open too long");
      await browser().screenshot(page, "portal-csrf-refused");
    } finally {
      await new Promise((resolve) => attacker.close(resolve));
    }

    // From the portal's own origin, but without the token: the form and the API both refuse.
    await page.goto(`${server().url}/portal/requests/${slotId}`);
    const statuses = await page.evaluate(
      async ([form, api]) => [
        (await fetch(form!, { method: "POST", body: new URLSearchParams({ csrf: "" }) })).status,
        (await fetch(api!, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" })).status,
      ],
      [target, `${server().url}/portal/api/requests/${slotId}/decline`],
    );
    expect(statuses).toEqual([403, 403]);
    const slot = await server().ctx.db.slot.findUniqueOrThrow({ where: { id: slotId } });
    expect(slot.status).toBe("open");
    expect(await publicationStatus(publication.id)).toBe("pending");
  });
});

/** Presses Tab until the element with `id` (or matching `selector`) has the focus; returns its outline. */
async function tabTo(page: Page, id: string, selector?: string): Promise<{ outline: string }> {
  for (let i = 0; i < 60; i++) {
    await page.keyboard.press("Tab");
    const match = await page.evaluate(
      ([wanted, css]) => {
        const active = document.activeElement;
        if (!active || !(css ? active.matches(css!) : active.id === wanted)) return null;
        return { outline: getComputedStyle(active).outline };
      },
      [id, selector ?? ""],
    );
    if (match) return match;
  }
  throw new Error(`no keyboard path to ${selector ?? `#${id}`}`);
}

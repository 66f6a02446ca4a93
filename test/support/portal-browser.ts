import type { Page } from "playwright-core";
import { afterAll, beforeAll, expect } from "vitest";
import { addVirtualAuthenticator, useBrowser, type BrowserSession } from "./chromium.ts";
import { TestPlatform } from "./platform.ts";
import { freshIdentity, startPortalServer } from "./portal.ts";
import { ReviewServer } from "./review-server.ts";
import type { TestServer } from "./server.ts";

// The performer portal in a real browser: the steps a person takes, shared by the e2e suites.

export interface PortalSuite {
  browser: () => BrowserSession;
  server: () => TestServer;
  /** The platform that asks for consent, named as the suite says. */
  platform: () => TestPlatform;
  /** The platform's review endpoint: publish() serves each publication's content there. */
  reviewServer: () => ReviewServer;
  /** A publication's status as its platform reads it through the API. */
  publicationStatus: (id: string) => Promise<string>;
}

/**
 * Chromium, a portal server and one platform on it, started for the file's tests and closed
 * afterwards. Call at the top of the file; the getters answer inside tests.
 */
export function usePortalSuite(platformName: string): PortalSuite {
  const browser = useBrowser();
  let server: TestServer | undefined;
  let platform: TestPlatform | undefined;
  let reviewServer: ReviewServer | undefined;
  beforeAll(async () => {
    server = await startPortalServer();
    reviewServer = await ReviewServer.start(server.url);
    platform = await TestPlatform.create(server, platformName);
    platform.reviewServer = reviewServer;
  });
  afterAll(async () => {
    await reviewServer?.close();
    await server?.close();
  });
  const running = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error("the portal is not running: call usePortalSuite() at the top of the file");
    return value;
  };
  return {
    browser,
    server: () => running(server),
    platform: () => running(platform),
    reviewServer: () => running(reviewServer),
    publicationStatus: async (id) =>
      (await running(platform).request<{ status: string }>("GET", `/v1/publications/${id}`)).body.status,
  };
}

/** An https preview image, answered inside the browser (the test machine has no internet). */
export const PREVIEW_URL = "https://preview.vergewis.test/scene-3.svg";
const PREVIEW_SVG = `<svg xmlns="http://www.w3.org/2000/svg" width="640" height="360" viewBox="0 0 640 360">
<defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="#1d4ed8"/><stop offset="1" stop-color="#146c2e"/></linearGradient></defs>
<rect width="640" height="360" fill="url(#g)"/><text x="320" y="195" font-family="sans-serif" font-size="40" fill="#fff" text-anchor="middle">Preview · scene 3</text></svg>`;

export async function servePreview(page: Page): Promise<void> {
  await page.route(PREVIEW_URL, (route) =>
    route.fulfill({ status: 200, contentType: "image/svg+xml", body: PREVIEW_SVG }),
  );
}

/** At the local identity provider's sign-in page: sign in as `identity` (typed, as a person would). */
export async function signInAtProvider(page: Page, identity: string): Promise<void> {
  await page.waitForSelector('input[name="login"]');
  await page.fill('input[name="login"]', identity);
  await page.click('button[name="action"][value="login"]');
}

/**
 * Onboarding from the portal's start page: verify age at the provider as `identity`, come back,
 * create a passkey in the page's virtual authenticator. Ends where the portal continues.
 */
export async function onboardInBrowser(page: Page, server: TestServer, identity: string): Promise<void> {
  await page.goto(`${server.url}/portal/onboarding`);
  await page.click('a[href^="/portal/verify/start"]');
  await signInAtProvider(page, identity);
  await page.waitForURL(`${server.url}/portal/onboarding`);
  await page.click('button[data-passkey="register"]');
  await page.waitForURL((url) => url.pathname !== "/portal/onboarding");
}

/**
 * A new adult performer, from the portal's login page: a virtual authenticator, onboarding, then
 * the invitation opened and taken. Ends on the review page; returns the slot id.
 */
export async function openRequestAsNewPerformer(
  page: Page,
  server: TestServer,
  invitationUrl: string,
): Promise<string> {
  await page.goto(`${server.url}/portal/login`);
  await addVirtualAuthenticator(page);
  await onboardInBrowser(page, server, freshIdentity("adult"));
  return openRequest(page, invitationUrl);
}

/** Opens an invitation link, continues (takes the request) and waits for the review page. */
export async function openRequest(page: Page, invitationUrl: string): Promise<string> {
  await page.goto(invitationUrl);
  await page.click("#continue");
  await page.waitForURL(/\/portal\/requests\/[0-9a-f-]{36}$/);
  return new URL(page.url()).pathname.split("/").at(-1)!;
}

/** The page fits its viewport: no horizontal scrolling. */
export async function expectNoHorizontalScroll(page: Page): Promise<void> {
  const { scrollWidth, innerWidth } = await page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    innerWidth: window.innerWidth,
  }));
  expect(scrollWidth).toBeLessThanOrEqual(innerWidth);
}

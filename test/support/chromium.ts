import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { chromium, type Browser, type Page } from "playwright-core";
import { afterAll, beforeAll } from "vitest";

/** Debian's Chromium (scripts/system-deps.mjs installs it); playwright-core downloads no browser. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
export const ARTIFACTS = fileURLToPath(new URL("../e2e/artifacts/", import.meta.url));

export interface PageOptions {
  /** Default 1280×900. */
  viewport?: { width: number; height: number };
  /** The browser's language (Accept-Language and navigator.language), e.g. "nl-NL". */
  locale?: string;
  /** The browser's time zone (IANA name), e.g. "Asia/Kolkata"; default the machine's. */
  timezoneId?: string;
}

export interface BrowserSession {
  browser: Browser;
  /** A page in a fresh context (own cookies); errors, CSP violations and failed loads land in `errors`. */
  newPage(options?: PageOptions): Promise<{ page: Page; errors: string[] }>;
  /** Saves a PNG under test/e2e/artifacts/ (git-ignored) and returns it. */
  screenshot(page: Page, name: string): Promise<Buffer>;
}

/**
 * Launches headless Chromium for the file's tests and closes it afterwards. `--no-sandbox`: the
 * tests may run as root, where Chromium's sandbox cannot start.
 */
export function useBrowser(): () => BrowserSession {
  let session: BrowserSession | undefined;
  beforeAll(async () => {
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ["--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu"],
    });
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    session = {
      browser,
      async newPage(options = {}) {
        const context = await browser.newContext({
          viewport: options.viewport ?? { width: 1280, height: 900 },
          ...(options.locale && { locale: options.locale }),
          ...(options.timezoneId && { timezoneId: options.timezoneId }),
        });
        const page = await context.newPage();
        const errors: string[] = [];
        // Script errors, CSP violations and failed loads, the browser's own favicon probe included.
        page.on("console", (message) => {
          if (message.type() === "error" && !message.text().startsWith("Failed to load resource"))
            errors.push(message.text());
        });
        page.on("pageerror", (error) => errors.push(error.message));
        page.on("response", (response) => {
          if (response.status() >= 400) {
            errors.push(`${response.status()} ${response.url()}`);
          }
        });
        return { page, errors };
      },
      screenshot: async (page, name) => {
        // Headless Chromium now and then fails a full-page capture while it repaints; a second
        // attempt a moment later succeeds. The screenshot is evidence for people, not an assertion.
        for (let attempt = 1; ; attempt++) {
          try {
            return await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true });
          } catch (error) {
            if (attempt === 3) throw error;
            await new Promise((resolve) => setTimeout(resolve, 250));
          }
        }
      },
    };
  }, 60_000);
  afterAll(async () => {
    await session?.browser.close();
  });
  return () => {
    if (!session) throw new Error("the browser is not running: call useBrowser() at the top of the file");
    return session;
  };
}

/** Non-transparent pixels of a canvas: > 0 once something was drawn on it. */
export const paintedPixels = (page: Page, selector: string) =>
  page.$eval(selector, (canvas) => {
    const c = canvas as HTMLCanvasElement;
    const data = c.getContext("2d")!.getImageData(0, 0, c.width, c.height).data;
    let painted = 0;
    for (let i = 3; i < data.length; i += 4) if (data[i]! > 0) painted++;
    return painted;
  });

/**
 * A platform authenticator with a passkey store of its own in the page's browser, through the
 * DevTools WebAuthn domain: CTAP2, internal transport, resident keys, user verification that
 * succeeds, presence without a prompt. One per page (Chromium allows one internal authenticator).
 */
export async function addVirtualAuthenticator(page: Page): Promise<{ credentials(): Promise<number> }> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("WebAuthn.enable");
  const { authenticatorId } = await cdp.send("WebAuthn.addVirtualAuthenticator", {
    options: {
      protocol: "ctap2",
      transport: "internal",
      hasResidentKey: true,
      hasUserVerification: true,
      isUserVerified: true,
      automaticPresenceSimulation: true,
    },
  });
  return {
    credentials: async () => (await cdp.send("WebAuthn.getCredentials", { authenticatorId })).credentials.length,
  };
}

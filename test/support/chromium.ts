import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { chromium, type Browser, type Page } from "playwright-core";
import { afterAll, beforeAll } from "vitest";

/** Debian's Chromium (scripts/system-deps.mjs installs it); playwright-core downloads no browser. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
export const ARTIFACTS = fileURLToPath(new URL("../e2e/artifacts/", import.meta.url));

export interface BrowserSession {
  browser: Browser;
  /** A page in a fresh context (own cookies); errors, CSP violations and failed loads land in `errors`. */
  newPage(): Promise<{ page: Page; errors: string[] }>;
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
      async newPage() {
        const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
        const page = await context.newPage();
        const errors: string[] = [];
        // Script errors, CSP violations and failed loads; the browser's own favicon probe aside.
        page.on("console", (message) => {
          if (message.type() === "error" && !message.text().startsWith("Failed to load resource"))
            errors.push(message.text());
        });
        page.on("pageerror", (error) => errors.push(error.message));
        page.on("response", (response) => {
          if (response.status() >= 400 && new URL(response.url()).pathname !== "/favicon.ico") {
            errors.push(`${response.status()} ${response.url()}`);
          }
        });
        return { page, errors };
      },
      screenshot: (page, name) => page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true }),
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

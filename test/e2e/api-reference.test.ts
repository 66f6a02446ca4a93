import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { useBrowser } from "../support/chromium.ts";
import { startTestServer, type TestServer } from "../support/server.ts";

// The API reference page in a real browser: Scalar, served by the server itself, renders the
// OpenAPI document under the page's CSP, and the page asks nothing of any other origin.

const browser = useBrowser();
let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server?.close());

describe("API reference page in Chromium", () => {
  test("renders the document from /openapi.json with no request to another origin", async () => {
    const { page, errors } = await browser().newPage();
    const origins = new Set<string>();
    const violations: string[] = [];
    page.on("request", (request) => {
      const url = new URL(request.url());
      if (url.protocol === "http:" || url.protocol === "https:") origins.add(url.origin);
    });
    page.on("console", (message) => {
      if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
    });
    await page.goto(`${server.url}/reference`);
    await page
      .getByText("Request consent for a publication")
      .first()
      .waitFor({ timeout: 90_000 })
      .catch((error: unknown) => {
        throw new Error(`${String(error)}\n${[...errors, ...violations, ...origins].join("\n")}`);
      });
    await page.getByRole("heading", { name: "Vergewis API" }).first().waitFor();
    expect(await page.title()).toContain("Vergewis");
    await browser().screenshot(page, "api-reference");
    expect([...origins]).toEqual([new URL(server.url).origin]);
    expect(violations).toEqual([]);
    expect(errors).toEqual([]);
  }, 150_000);
});

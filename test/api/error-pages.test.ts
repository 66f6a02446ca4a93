import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { auditorToken } from "../support/audit.ts";
import { bearer } from "../support/fixtures.ts";
import { TestPerformer } from "../support/performer.ts";
import { newPerformer } from "../support/portal.ts";
import { startRestartableDatabase, type RestartableDatabase } from "../support/restartable-database.ts";
import { startTestServer, type TestServer } from "../support/server.ts";

// Errors on the pages people read (the portal, invitation links, age verification, the auditors'
// console) are pages in the reader's language with the right status, Content-Language, a way
// back and Retry-After where waiting helps; the routes programs call stay problem+json. The
// server runs with its default limits: 10 invitation links and 10 logins per minute and address.

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server?.close());

const BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";
const mainOf = (body: string) => /<main[^>]*>([\s\S]*)<\/main>/.exec(body)![1]!;
const code = () => randomBytes(16).toString("hex").slice(0, 26).toUpperCase();

/**
 * A request as a browser makes it, in `lang`. Like a browser, it is sent once more when the
 * kept-alive connection it went out on was closed by the server meanwhile: the embedded database
 * shares this process, and its start can hold up the timers that would have retired the socket.
 */
async function browse(base: string, path: string, lang: string, init: RequestInit = {}): Promise<Response> {
  const send = () =>
    fetch(`${base}${path}`, {
      redirect: "manual",
      ...init,
      headers: { accept: BROWSER_ACCEPT, "accept-language": lang, ...(init.headers as Record<string, string>) },
    });
  try {
    return await send();
  } catch (error) {
    if ((error as { cause?: { code?: string } }).cause?.code !== "ECONNRESET") throw error;
    return send();
  }
}

/** A form posted as a browser posts it from the page itself. */
const form = (body: string, headers: Record<string, string> = {}): RequestInit => ({
  method: "POST",
  body,
  headers: {
    "content-type": "application/x-www-form-urlencoded",
    origin: "null",
    "sec-fetch-site": "same-origin",
    ...headers,
  },
});

/** The error page: status, HTML in `lang`, the sentence, a way back, nothing of the error's internals. */
async function expectPage(res: Response, status: number, lang: "en" | "nl", sentence: string, back = "/portal") {
  const body = await res.text();
  expect([res.status, res.headers.get("content-type"), res.headers.get("content-language")]).toEqual([
    status,
    "text/html; charset=utf-8",
    lang,
  ]);
  expect(body).toContain(`<html lang="${lang}">`);
  expect(mainOf(body)).toContain(sentence);
  expect(mainOf(body)).toContain(`<a href="${back}">`);
  expect(res.headers.get("cache-control")).toBe("no-store");
  const text = body.replace(/<[^>]*>/g, "");
  expect(text).not.toMatch(/problem|_error|_invalid|_limited|_unavailable|Error\b|\bat .+\(/);
  return body;
}

async function expectProblem(res: Response, status: number, code: string) {
  expect([res.status, res.headers.get("content-type")]).toEqual([status, "application/problem+json; charset=utf-8"]);
  expect(((await res.json()) as { code: string }).code).toBe(code);
}

describe("the portal's pages", () => {
  test("the 11th invitation link in a minute from one address is a Dutch 429 page with Retry-After", async () => {
    for (let i = 0; i < 10; i++) {
      const refused = await browse(server.url, `/portal/i/${code()}`, "nl");
      await expectPage(refused, 404, "nl", "De code is ongeldig, verlopen of al gebruikt.");
    }
    const limited = await browse(server.url, `/portal/i/${code()}`, "nl");
    await expectPage(limited, 429, "nl", "Te veel pogingen. Wacht een minuut en probeer het opnieuw.");
    const wait = Number(limited.headers.get("retry-after"));
    expect(wait).toBeGreaterThan(0);
    expect(wait).toBeLessThanOrEqual(60);
    // The route decides, not Accept: a link is a page even for a client that asks for JSON.
    const asJson = await browse(server.url, `/portal/i/${code()}`, "en", { headers: { accept: "application/json" } });
    await expectPage(asJson, 429, "en", "Too many attempts. Wait a minute and try again.");
    expect(asJson.headers.get("retry-after")).toMatch(/^\d+$/);
  });

  test("an unknown portal address is a 404 page, in English and in Dutch", async () => {
    await expectPage(await browse(server.url, "/portal/nope", "en"), 404, "en", "This page does not exist");
    await expectPage(await browse(server.url, "/portal/nope/deeper?x=1", "nl"), 404, "nl", "Deze pagina bestaat niet");
    await expectPage(await browse(server.url, "/portal/i/", "nl"), 404, "nl", "Deze pagina bestaat niet");
    await expectPage(await browse(server.url, "/portal/verify/nope", "en"), 404, "en", "This page does not exist");
    // Routing ignores case; so does the choice of a page.
    await expectPage(await browse(server.url, "/PORTAL/Nope", "en"), 404, "en", "This page does not exist");
    // A typed code that does not work is the code form again, with its status, in Dutch.
    const typed = await browse(server.url, "/portal/invitation", "nl", form("code=WRONG&csrf=x"));
    expect([typed.status, typed.headers.get("content-language")]).toEqual([403, "nl"]);
  });

  test("a form from another site is a 403 page in the reader's language", async () => {
    const res = await browse(server.url, "/portal/logout", "nl", form("csrf=x", { "sec-fetch-site": "cross-site" }));
    await expectPage(res, 403, "nl", "Deze pagina stond te lang open.");
  });

  test("a form too large is a 413 page, one in an encoding the portal cannot read a 415 page; nothing logged as a fault", async () => {
    const large = await browse(server.url, "/portal/invitation", "nl", form(`code=${"A".repeat(5_000)}`));
    await expectPage(large, 413, "nl", "Wat er is verstuurd is te groot.");
    const encoded = await browse(
      server.url,
      "/portal/invitation",
      "en",
      form("code=ABC", { "content-encoding": "compress" }),
    );
    await expectPage(encoded, 415, "en", "Your browser sent the form in a way the portal cannot read.");
    expect(server.logs.filter((l) => l.level === 50)).toEqual([]);
  });
});

describe("the auditors' console", () => {
  let cookie = "";
  beforeAll(async () => {
    const token = await auditorToken(server.ctx.db, null);
    const signedIn = await fetch(`${server.url}/audit/login`, { ...form(`token=${token}`), redirect: "manual" });
    cookie = signedIn.headers.getSetCookie()[0]!.split(";")[0]!;
  });

  test("a sign-in posted from another site is a 403 page in the reader's language", async () => {
    const res = await browse(server.url, "/audit/login", "nl", form("token=x", { "sec-fetch-site": "cross-site" }));
    await expectPage(res, 403, "nl", "Dit formulier moet vanuit de console zelf worden verstuurd.", "/audit");
  });

  test("a bad search is a 400 page and an unknown address a 404 page, in Dutch", async () => {
    const bad = await browse(server.url, "/audit/events?from=tuesday", "nl", { headers: { cookie } });
    await expectPage(bad, 400, "nl", "Het verzoek is niet geldig.", "/audit");
    const unknown = await browse(server.url, "/audit/nope", "nl", { headers: { cookie } });
    await expectPage(unknown, 404, "nl", "Deze pagina bestaat niet.", "/audit");
  });

  test("a sign-in form too large is a 413 page", async () => {
    const res = await browse(server.url, "/audit/login", "en", form(`token=${"x".repeat(5_000)}`));
    await expectPage(res, 413, "en", "What was sent is too large.", "/audit");
  });
});

describe("the routes programs call", () => {
  test("stay problem+json whatever Accept says, 429 included", async () => {
    const html = { headers: { accept: BROWSER_ACCEPT } };
    await expectProblem(await fetch(`${server.url}/portal/api/nope`, html), 404, "not_found");
    await expectProblem(await fetch(`${server.url}/v1/publications`, html), 401, "unauthenticated");
    await expectProblem(await fetch(`${server.url}/.well-known/nope`, html), 404, "not_found");
    await expectProblem(await fetch(`${server.url}/assets/nope.css`, html), 404, "not_found");
    const performer = newPerformer(server);
    await performer.session();
    const ask = () =>
      performer.api("POST", "/login/options", undefined, { accept: BROWSER_ACCEPT, "accept-language": "nl" });
    for (let i = 0; i < 10; i++) expect((await ask()).status).toBe(200);
    const limited = await ask();
    expect([limited.status, limited.headers.get("content-type"), limited.body.code]).toEqual([
      429,
      "application/problem+json; charset=utf-8",
      "rate_limited",
    ]);
    expect(limited.headers.get("retry-after")).toMatch(/^\d+$/);
  });

  test("an unknown address is a page for a browser that navigates there, problem+json for a program", async () => {
    await expectPage(await browse(server.url, "/nope", "nl"), 404, "nl", "Deze pagina bestaat niet");
    await expectProblem(await fetch(`${server.url}/nope`), 404, "not_found");
    await expectProblem(
      await fetch(`${server.url}/nope`, { headers: { accept: "application/json" } }),
      404,
      "not_found",
    );
  });
});

describe("faults that are not the request's", () => {
  let database: RestartableDatabase;
  let running: TestServer;
  beforeAll(async () => {
    database = await startRestartableDatabase();
    running = await startTestServer({}, { database: database.handle });
  });
  afterAll(async () => {
    await running?.close();
    await database?.close();
  });

  test("pages are a 503 page with Retry-After; the API stays 503 problem+json", async () => {
    const { apiKey } = await running.createPlatform("Outage");
    const token = await auditorToken(running.ctx.db, null);
    const signedIn = await fetch(`${running.url}/audit/login`, { ...form(`token=${token}`), redirect: "manual" });
    const cookie = signedIn.headers.getSetCookie()[0]!.split(";")[0]!;
    expect((await browse(running.url, "/portal/login", "nl")).status).toBe(200);
    await database.shutdown();
    try {
      const sentence = "Het portaal is even niet te gebruiken.";
      for (const path of ["/portal/login", `/portal/i/${code()}`, "/portal/verify/start"]) {
        const res = await browse(running.url, path, "nl");
        await expectPage(res, 503, "nl", sentence);
        expect(res.headers.get("retry-after")).toBe("30");
      }
      const console = await browse(running.url, "/audit", "nl", { headers: { cookie } });
      await expectPage(console, 503, "nl", "De console is even niet te gebruiken.", "/audit");
      expect(console.headers.get("retry-after")).toBe("30");
      await expectProblem(
        await fetch(`${running.url}/v1/publications`, { headers: { ...bearer(apiKey), accept: BROWSER_ACCEPT } }),
        503,
        "database_unavailable",
      );
    } finally {
      await database.start();
    }
    expect((await browse(running.url, "/portal/login", "en")).status).toBe(200);
  });

  test("a table gone from the database: a 500 page that tells nothing, problem+json on the API", async () => {
    // The rate limits' table, which invitation links and logins need before anything else.
    await running.ctx.db.$executeRawUnsafe(`ALTER TABLE "RateLimit" RENAME TO "RateLimitAway"`);
    try {
      const page = await browse(running.url, `/portal/i/${code()}`, "nl");
      const body = await expectPage(page, 500, "nl", "Er ging iets mis. Er is niets veranderd. Probeer het opnieuw.");
      expect(body).not.toMatch(/RateLimit|relation|SQL|prisma/i);
      const english = await browse(running.url, `/portal/i/${code()}`, "en");
      await expectPage(english, 500, "en", "Something went wrong. Nothing was changed. Try again.");
      // The operator learns what the reader does not.
      expect(running.logs.filter((l) => l.msg === "unhandled error" && l.level === 50)).toHaveLength(2);
      const performer = new TestPerformer(running.url);
      await performer.session();
      const api = await performer.api("POST", "/login/options", undefined, { accept: BROWSER_ACCEPT });
      expect([api.status, api.headers.get("content-type"), api.body.code]).toEqual([
        500,
        "application/problem+json; charset=utf-8",
        "internal_error",
      ]);
    } finally {
      await running.ctx.db.$executeRawUnsafe(`ALTER TABLE "RateLimitAway" RENAME TO "RateLimit"`);
    }
  });
});

import zlib from "node:zlib";
import { errorCodes } from "@vergewis/sdk";
import request from "supertest";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { runOperatorCommand } from "../../packages/server/src/operator/commands.ts";
import { auditorToken } from "../support/audit.ts";
import { bearer, publicationRequest, reviewItemsFor } from "../support/fixtures.ts";
import { startTestServer, type TestServer } from "../support/server.ts";

let server: TestServer;
let key: string;

beforeAll(async () => {
  server = await startTestServer();
  key = (await server.createPlatform()).apiKey;
});
afterAll(() => server?.close());

const api = () => request(server.url);

/** RFC 9457: every error is problem+json with type, title, status, detail and our stable code. */
function expectProblem(res: request.Response, status: number, code: string) {
  expect(res.status).toBe(status);
  expect(res.headers["content-type"]).toMatch(/^application\/problem\+json/);
  expect(res.body).toMatchObject({
    status,
    code,
    type: `${server.url.replace("127.0.0.1", "localhost")}/problems/${code}`,
  });
  expect(typeof res.body.title).toBe("string");
  expect(typeof res.body.detail).toBe("string");
}

const count = () => server.ctx.db.publication.count();

/** Posts `body` as a publication request (as JSON text: lone surrogates stay) and returns what the 400 names. */
async function refusedFields(body: unknown): Promise<unknown> {
  const res = await api()
    .post("/v1/publications")
    .set(bearer(key))
    .set("Content-Type", "application/json")
    .send(JSON.stringify(body));
  expectProblem(res, 400, "invalid_request");
  return res.body.errors;
}

describe("authentication", () => {
  test("a missing key is 401 with a Bearer challenge", async () => {
    const res = await api().get("/v1/publications");
    expectProblem(res, 401, "unauthenticated");
    expect(res.headers["www-authenticate"]).toBe('Bearer realm="vergewis"');
  });

  test.each([
    ["an unknown key", "vgw_live_" + "A".repeat(43)],
    ["a malformed key", "not-a-key"],
    ["a key with a valid prefix and wrong secret", () => key.slice(0, -4) + "AAAA"],
  ])("%s is 401 invalid_token", async (_name, candidate) => {
    const value = typeof candidate === "function" ? candidate() : candidate;
    const res = await api().get("/v1/publications").set(bearer(value));
    expectProblem(res, 401, "unauthenticated");
    expect(res.headers["www-authenticate"]).toBe('Bearer realm="vergewis", error="invalid_token"');
  });

  test("another scheme is refused", async () => {
    const res = await api()
      .get("/v1/publications")
      .set("Authorization", `Basic ${Buffer.from(key).toString("base64")}`);
    expectProblem(res, 401, "unauthenticated");
  });

  test("a revoked key stops working at once", async () => {
    const { apiKey } = await server.createPlatform("Revoked");
    await api().get("/v1/publications").set(bearer(apiKey)).expect(200);
    const { revokeApiKey } = await import("../../packages/server/src/platform/api-key.ts");
    expect(await revokeApiKey(server.ctx.db, apiKey.slice(0, 17))).toBe(true);
    expectProblem(await api().get("/v1/publications").set(bearer(apiKey)), 401, "unauthenticated");
  });

  test("the key is not logged", async () => {
    await api().get("/v1/publications").set(bearer(key)).expect(200);
    expect(JSON.stringify(server.logs)).not.toContain(key.slice(9));
  });
});

describe("bad requests", () => {
  test("an unknown route is 404 problem+json", async () => {
    expectProblem(await api().get("/v1/nope").set(bearer(key)), 404, "not_found");
    expectProblem(await api().get("/nope"), 404, "not_found");
  });

  test("an asset that does not exist is 404 problem+json, not a server error", async () => {
    for (const path of ["/assets/no-such.css", "/assets/vendor/no-such.js", "/assets/%2e%2e/package.json", "/assets/"])
      expectProblem(await api().get(path), 404, "not_found");
  });

  test("the favicon is served where pages link it and where browsers look for it by themselves", async () => {
    for (const path of ["/favicon.ico", "/assets/favicon.svg"]) {
      const res = await api().get(path).expect(200);
      expect(res.headers["content-type"]).toMatch(/^image\/svg\+xml/);
      expect(String(res.body)).toMatch(/^<svg /);
    }
    const page = await api().get("/portal/login").expect(200);
    expect(page.text).toContain('<link rel="icon" href="/assets/favicon.svg" type="image/svg+xml">');
  });

  test("a body over 100 kB is 413 and stores nothing", async () => {
    const before = await count();
    const body = publicationRequest({ title: "x".repeat(200), externalId: "big" });
    const padded = JSON.stringify({ ...body, padding: "x".repeat(110_000) });
    const res = await api()
      .post("/v1/publications")
      .set(bearer(key))
      .set("Content-Type", "application/json")
      .send(padded);
    expectProblem(res, 413, "body_too_large");
    expect(await count()).toBe(before);
  });

  test.each([
    ["text/plain", "hello"],
    ["application/x-www-form-urlencoded", "externalId=a"],
    ["application/xml", "<a/>"],
  ])("a %s body is 415", async (type, body) => {
    const res = await api().post("/v1/publications").set(bearer(key)).set("Content-Type", type).send(body);
    expectProblem(res, 415, "unsupported_media_type");
  });

  test("malformed JSON is 400", async () => {
    const res = await api()
      .post("/v1/publications")
      .set(bearer(key))
      .set("Content-Type", "application/json")
      .send('{"externalId": ');
    expectProblem(res, 400, "malformed_json");
  });

  test("a JSON scalar or array body is 400", async () => {
    for (const body of ['"text"', "[]", "null", "42"]) {
      const res = await api()
        .post("/v1/publications")
        .set(bearer(key))
        .set("Content-Type", "application/json")
        .send(body);
      expect(res.status).toBe(400);
      expect(res.headers["content-type"]).toMatch(/^application\/problem\+json/);
    }
  });

  test("an empty POST is 400 with the missing body named", async () => {
    const res = await api().post("/v1/publications").set(bearer(key));
    expectProblem(res, 400, "invalid_request");
    expect(res.body.errors).toEqual([{ pointer: "/body", reason: "required" }]);
  });
});

/** Content items and their review URLs: each item must be viewable, at most 10, over https. */
function reviewItemCases(): Array<[string, (b: ReturnType<typeof publicationRequest>) => unknown, string]> {
  const sha = (i: number) => ({ alg: "sha-256" as const, value: (i + 1).toString(16).padStart(64, "0") });
  const withItems = (n: number) => {
    const contentFingerprints = Array.from({ length: n }, (_, i) => sha(i));
    return { contentFingerprints, reviewItems: reviewItemsFor(contentFingerprints) };
  };
  const url = (b: ReturnType<typeof publicationRequest>, url: string) => ({
    ...b,
    reviewItems: [{ ...b.reviewItems[0]!, url }],
  });
  return [
    ["11 content items", (b) => ({ ...b, ...withItems(11) }), "/body/contentFingerprints"],
    ["11 review items", (b) => ({ ...b, ...withItems(11) }), "/body/reviewItems"],
    ["no review items", ({ reviewItems: _, ...b }) => b, "/body/reviewItems"],
    [
      "an item without a review URL",
      (b) => ({ ...b, ...withItems(2), reviewItems: withItems(2).reviewItems.slice(0, 1) }),
      "/body/reviewItems",
    ],
    [
      "a review URL for no fingerprint of the request",
      (b) => ({ ...b, reviewItems: [...b.reviewItems, reviewItemsFor([sha(7)])[0]!] }),
      "/body/reviewItems/1/sha256",
    ],
    ["http review URL", (b) => url(b, "http://cdn.example.test/review/1"), "/body/reviewItems/0/url"],
    ["ftp review URL", (b) => url(b, "ftp://cdn.example.test/review/1"), "/body/reviewItems/0/url"],
    [
      "review URL with credentials",
      (b) => url(b, "https://user:secret@cdn.example.test/review/1"),
      "/body/reviewItems/0/url",
    ],
    ["review URL over 2048", (b) => url(b, `https://cdn.example.test/${"x".repeat(2048)}`), "/body/reviewItems/0/url"],
  ];
}

describe("publication request validation", () => {
  const cases: Array<[string, (b: ReturnType<typeof publicationRequest>) => unknown, string]> = [
    ["unknown top-level field", (b) => ({ ...b, extra: 1 }), "/body/extra"],
    ["unknown slot field", (b) => ({ ...b, slots: [{ role: "uploader", age: 30 }] }), "/body/slots/0/age"],
    ["missing externalId", ({ externalId: _, ...b }) => b, "/body/externalId"],
    ["externalId with spaces", (b) => ({ ...b, externalId: "a b" }), "/body/externalId"],
    ["externalId over 200", (b) => ({ ...b, externalId: "x".repeat(201) }), "/body/externalId"],
    ["empty title", (b) => ({ ...b, title: "   " }), "/body/title"],
    ["title over 300", (b) => ({ ...b, title: "x".repeat(301) }), "/body/title"],
    ["http preview", (b) => ({ ...b, previewUrl: "http://cdn.example.test/p.jpg" }), "/body/previewUrl"],
    ["javascript preview", (b) => ({ ...b, previewUrl: "javascript:alert(1)" }), "/body/previewUrl"],
    ["no fingerprints", (b) => ({ ...b, contentFingerprints: [] }), "/body/contentFingerprints"],
    [
      "51 fingerprints",
      (b) => ({
        ...b,
        contentFingerprints: Array.from({ length: 51 }, (_, i) => ({
          alg: "sha-256",
          value: i.toString(16).padStart(64, "0"),
        })),
      }),
      "/body/contentFingerprints",
    ],
    [
      "short hash",
      (b) => ({ ...b, contentFingerprints: [{ alg: "sha-256", value: "abc" }] }),
      "/body/contentFingerprints/0/value",
    ],
    [
      "non-hex hash",
      (b) => ({ ...b, contentFingerprints: [{ alg: "sha-256", value: "g".repeat(64) }] }),
      "/body/contentFingerprints/0/value",
    ],
    [
      "unknown algorithm",
      (b) => ({ ...b, contentFingerprints: [{ alg: "md5", value: "a".repeat(64) }] }),
      "/body/contentFingerprints/0/alg",
    ],
    [
      "only a pdq hash",
      (b) => ({ ...b, contentFingerprints: [{ alg: "pdq", value: "a".repeat(64) }] }),
      "/body/contentFingerprints",
    ],
    [
      "repeated fingerprint",
      (b) => ({ ...b, contentFingerprints: [b.contentFingerprints[0], b.contentFingerprints[0]] }),
      "/body/contentFingerprints",
    ],
    ...reviewItemCases(),
    ["no slots", (b) => ({ ...b, slots: [] }), "/body/slots"],
    [
      "21 slots",
      (b) => ({
        ...b,
        slots: Array.from({ length: 21 }, () => ({ role: "co-performer", contact: "co@example.test" })),
      }),
      "/body/slots",
    ],
    ["two uploaders", (b) => ({ ...b, slots: [{ role: "uploader" }, { role: "uploader" }] }), "/body/slots"],
    ["unknown role", (b) => ({ ...b, slots: [{ role: "director" }] }), "/body/slots/0/role"],
    ["no purpose", (b) => ({ ...b, scope: { ...b.scope, purposes: [] } }), "/body/scope/purposes"],
    ["unknown purpose", (b) => ({ ...b, scope: { ...b.scope, purposes: ["resell"] } }), "/body/scope/purposes/0"],
    ["unknown territory", (b) => ({ ...b, scope: { ...b.scope, territories: ["XX"] } }), "/body/scope/territories/0"],
    [
      "lower-case territory",
      (b) => ({ ...b, scope: { ...b.scope, territories: ["nl"] } }),
      "/body/scope/territories/0",
    ],
    [
      "past end date",
      (b) => ({ ...b, scope: { ...b.scope, validUntil: "2020-01-01T00:00:00Z" } }),
      "/body/scope/validUntil",
    ],
    [
      "end date beyond 10 years",
      (b) => ({
        ...b,
        scope: { ...b.scope, validUntil: new Date(Date.now() + 10.1 * 365 * 86_400_000).toISOString() },
      }),
      "/body/scope/validUntil",
    ],
    [
      "end date without offset",
      (b) => ({ ...b, scope: { ...b.scope, validUntil: "2030-01-01T00:00:00" } }),
      "/body/scope/validUntil",
    ],
    ["wrong type", (b) => ({ ...b, title: 42 }), "/body/title"],
  ];

  test.each(cases)("%s is 400 naming %s and stores nothing", async (_name, mutate, pointer) => {
    const before = await count();
    const res = await api()
      .post("/v1/publications")
      .set(bearer(key))
      .send(mutate(publicationRequest()) as object);
    expectProblem(res, 400, "invalid_request");
    expect(res.body.errors.map((e: { pointer: string }) => e.pointer)).toContain(pointer);
    expect(await count()).toBe(before);
  });

  test("every invalid field is named at once, each with its own reason", async () => {
    const before = await count();
    const valid = publicationRequest();
    const errors = await refusedFields({
      ...valid,
      externalId: undefined,
      title: 5,
      previewUrl: "https://cdn.example.test/p\u0000.jpg",
      contentFingerprints: [{ alg: "sha-256", value: "abc" }, { alg: "md5" }],
      slots: [{ role: "uploader" }, { role: "uploader", contact: "" }, { role: "director" }],
      scope: { ...valid.scope, territories: ["NL", "XX"], validUntil: "2001-01-01T00:00:00Z" },
      extra: true,
    });
    // The schema's issues in the order of its fields, then unknown fields, then unstorable strings.
    expect(errors).toEqual([
      { pointer: "/body/externalId", reason: "required" },
      { pointer: "/body/title", reason: "expected string" },
      { pointer: "/body/contentFingerprints/0/value", reason: "must be 64 hexadecimal characters (256 bits)" },
      {
        pointer: "/body/contentFingerprints/1/alg",
        reason: "Invalid discriminator value. Expected 'sha-256' | 'pdq' | 'vpdq'",
      },
      { pointer: "/body/slots/1/contact", reason: "must be an e-mail address" },
      { pointer: "/body/slots/2/role", reason: 'Invalid option: expected one of "uploader"|"co-performer"' },
      { pointer: "/body/scope/territories/1", reason: "must be an ISO 3166-1 alpha-2 country code" },
      { pointer: "/body/scope/validUntil", reason: "must be in the future" },
      { pointer: "/body/extra", reason: "unknown field" },
      { pointer: "/body/previewUrl", reason: "must not contain NUL characters" },
    ]);
    expect(await count()).toBe(before);
  });

  test("rules over several elements are listed beside the other fields' issues", async () => {
    const valid = publicationRequest();
    const errors = await refusedFields({
      ...valid,
      title: "",
      contentFingerprints: [valid.contentFingerprints[0], valid.contentFingerprints[0]],
      slots: [{ role: "uploader" }, { role: "uploader", contact: 7 }],
    });
    expect(errors).toEqual([
      { pointer: "/body/title", reason: "Too small: expected string to have >=1 characters" },
      { pointer: "/body/contentFingerprints", reason: "must not repeat" },
      { pointer: "/body/slots/1/contact", reason: "expected string" },
      { pointer: "/body/slots", reason: "at most one uploader" },
    ]);
  });

  test.each([
    ["a bidi override", "Summer \u202eshoot", "must not contain the bidirectional control character U+202E"],
    ["a bidi isolate", "\u2067Summer shoot", "must not contain the bidirectional control character U+2067"],
    ["a zero-width space", "Summer\u200bshoot", "must not contain the invisible character U+200B"],
    ["a byte order mark inside", "Summer\ufeffshoot", "must not contain the invisible character U+FEFF"],
    ["a word joiner", "Sum\u2060mer", "must not contain the invisible character U+2060"],
    ["a joiner between Latin letters", "Sum\u200dmer", "must not contain U+200D outside a word or an emoji sequence"],
    ["a lone joiner", "Summer \u200c shoot", "must not contain U+200C outside a word or an emoji sequence"],
    ["an escape character", "Summer \u001b[31mshoot", "must not contain the control character U+001B"],
    ["a lone surrogate", "Summer \ud800 shoot", "must be well-formed Unicode (no lone surrogates)"],
  ])("a title with %s is 400 naming the title", async (_name, title, reason) => {
    const before = await count();
    expect(await refusedFields(publicationRequest({ title }))).toEqual([{ pointer: "/body/title", reason }]);
    expect(await count()).toBe(before);
  });

  test.each([
    ["an emoji ZWJ sequence", "Behind the scenes 👩\u200d💻 🏳\ufe0f\u200d🌈"],
    ["Persian with ZWNJ", "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645"],
    ["Hindi with ZWJ", "\u0915\u094d\u200d\u0937"],
    ["a right-to-left mark", "\u05e9\u05dc\u05d5\u05dd\u200f (2026)"],
    ["line breaks", "Part one\nPart two"],
  ])("a title with %s is accepted as written", async (_name, title) => {
    const res = await api()
      .post("/v1/publications")
      .set(bearer(key))
      .set("Content-Type", "application/json")
      .send(JSON.stringify(publicationRequest({ title })))
      .expect(201);
    expect(res.body.title).toBe(title);
  });

  test("a platform's or flagger's name, shown to performers and platforms, is held to the same rules", async () => {
    const before = await server.ctx.db.platform.count();
    for (const [command, args] of [
      ["platform.create", { name: "Trusted\u202eCorp" }],
      ["platform.create", { name: "Trusted\u200bCorp" }],
      ["flagger.create", { name: "Hotline\u2066" }],
    ] as const)
      await expect(runOperatorCommand(server.ctx, command, args), command).rejects.toThrow(/U\+20/);
    expect(await server.ctx.db.platform.count()).toBe(before);
  });

  test("a pdq fingerprint beside a sha-256 one is accepted", async () => {
    const body = publicationRequest();
    body.contentFingerprints.push({ alg: "pdq", value: "F".repeat(64) });
    const res = await api().post("/v1/publications").set(bearer(key)).send(body).expect(201);
    expect(res.body.contentFingerprints[1]).toEqual({ alg: "pdq", value: "f".repeat(64) });
  });
});

describe("check", () => {
  test.each([
    [{}, "/body/fingerprint"],
    [{ fingerprint: { alg: "sha-256" } }, "/body/fingerprint/value"],
    [{ fingerprint: { alg: "sha-256", value: "a".repeat(64) }, more: true }, "/body/more"],
  ])("bad body %j is 400 naming %s", async (body, pointer) => {
    const res = await api().post("/v1/check").set(bearer(key)).send(body);
    expectProblem(res, 400, "invalid_request");
    expect(res.body.errors.map((e: { pointer: string }) => e.pointer)).toContain(pointer);
  });
});

describe("input that cannot be stored", () => {
  test("NUL in a query value is 400 naming it, for platforms and auditors alike", async () => {
    let res = await api().get("/v1/publications?externalId=a%00b").set(bearer(key));
    expectProblem(res, 400, "invalid_request");
    expect(res.body.errors).toEqual([{ pointer: "/query/externalId", reason: "must not contain NUL characters" }]);
    const token = await auditorToken(server.ctx.db, null);
    res = await api().get("/v1/audit/events?performer=%00").set(bearer(token));
    expectProblem(res, 400, "invalid_request");
    expect(res.body.errors).toEqual([{ pointer: "/query/performer", reason: "must not contain NUL characters" }]);
  });

  test("NUL or a lone surrogate in any body string, key included, is 400 naming it", async () => {
    const before = await count();
    const errors = await refusedFields({
      ...publicationRequest(),
      previewUrl: "https://cdn.example.test/\u0000.jpg",
      externalId: "video-\ud800",
      "odd\u0000": 1,
    });
    expect(errors).toEqual(
      expect.arrayContaining([
        { pointer: "/body/previewUrl", reason: "must not contain NUL characters" },
        { pointer: "/body/externalId", reason: "must be well-formed Unicode (no lone surrogates)" },
        { pointer: "/body/odd\u0000", reason: "must not contain NUL characters" },
      ]),
    );
    expect(await count()).toBe(before);
  });

  test("a path that is not percent-encoded UTF-8 is 400, on pages too", async () => {
    for (const path of ["/v1/publications/%ff", "/v1/publications/%ED%A0%80", "/v1/webhook-endpoints/a%ff"])
      expectProblem(await api().get(path).set(bearer(key)), 400, "malformed_path");
    for (const path of ["/portal/consents/%ED%A0%80", "/audit/events/%ff", "/assets/%ff"])
      expect((await api().get(path)).status, path).toBe(400);
  });
});

describe("content encoding", () => {
  test.each([
    ["gzip", zlib.gzipSync],
    ["deflate", zlib.deflateSync],
    ["br", zlib.brotliCompressSync],
  ])("a %s body, even a valid one, is 415 before it is read, and stores nothing", async (encoding, compress) => {
    const before = await count();
    for (const body of [compress(Buffer.from(JSON.stringify(publicationRequest()))), Buffer.from("x")]) {
      const res = await api()
        .post("/v1/publications")
        .set(bearer(key))
        .set("Content-Type", "application/json")
        .set("Content-Encoding", encoding)
        .send(body);
      expectProblem(res, 415, "unsupported_encoding");
      expect(res.headers["accept-encoding"]).toBe("identity");
    }
    expect(await count()).toBe(before);
  });

  test("every route refuses it, also without credentials and on form posts", async () => {
    for (const path of ["/portal/api/logout", "/v1/reports", "/audit/login", "/portal/invitation"]) {
      const res = await api()
        .post(path)
        .set(
          "Content-Type",
          path.startsWith("/v1") || path.includes("/api/") ? "application/json" : "application/x-www-form-urlencoded",
        )
        .set("Content-Encoding", "gzip")
        .send("x");
      expect(res.status, path).toBe(415);
    }
    expectProblem(
      await api()
        .post("/portal/api/logout")
        .set("Content-Type", "application/json")
        .set("Content-Encoding", "gzip")
        .send("x"),
      415,
      "unsupported_encoding",
    );
  });

  test("identity is the same as none", async () => {
    await api()
      .post("/v1/publications")
      .set(bearer(key))
      .set("Content-Encoding", "identity")
      .send(publicationRequest())
      .expect(201);
  });
});

describe("prototype property names in paths", () => {
  test.each(["constructor", "__proto__", "toString", "hasOwnProperty", "valueOf"])(
    "%s as a path segment is 404, not a server error",
    async (name) => {
      for (const path of [
        `/assets/vendor/${name}`,
        `/assets/${name}`,
        `/v1/publications/${name}`,
        `/v1/status-lists/${name}`,
      ])
        expectProblem(await api().get(path).set(bearer(key)), 404, "not_found");
      expect((await api().get(`/portal/i/${name}`)).status).toBeLessThan(500);
    },
  );
});

describe("problem types", () => {
  test("a problem's type URI resolves to a page about it", async () => {
    const problem = (await api().get("/v1/publications")).body as { type: string };
    const res = await request(problem.type.replace(/^http:\/\/localhost/, "http://127.0.0.1"))
      .get("")
      .expect(200);
    expect(res.headers["content-type"]).toMatch(/^text\/html/);
    expect(res.text).toContain("<code>unauthenticated</code>");
  });

  test("anything else under /problems is 404", async () => {
    expectProblem(await api().get("/problems/%3Cscript%3E"), 404, "not_found");
  });

  test("every catalogued code has a page that says what it means", async () => {
    for (const [code, meaning] of Object.entries(errorCodes)) {
      const res = await api().get(`/problems/${code}`).expect(200);
      expect(res.text).toContain(`<h1>Problem type <code>${code}</code></h1>`);
      expect(res.text).toContain(`<p>${meaning.replace(/'/g, "&#39;")}</p>`);
    }
  });

  test.each(["made_up_code", "cross_origin", "constructor", "__proto__"])(
    "a code that is not catalogued (%s) has no page",
    async (code) => {
      expectProblem(await api().get(`/problems/${code}`), 404, "not_found");
    },
  );
});

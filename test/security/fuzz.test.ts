import http from "node:http";
import zlib from "node:zlib";
import * as sdk from "@vergewis/sdk";
import fc from "fast-check";
import request from "supertest";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { createApp } from "../../packages/server/src/app.ts";
import { auditorToken } from "../support/audit.ts";
import { bearer, hex64, publicationRequest } from "../support/fixtures.ts";
import type { TestPerformer } from "../support/performer.ts";
import { freshIdentity, newPerformer, startPortalServer } from "../support/portal.ts";
import { listRoutes, type RouteEntry } from "../support/routes.ts";
import type { TestServer } from "../support/server.ts";

// Property-based fuzzing of every route: whatever arrives (any Unicode in any path segment, query
// value or body string, prototype property names, any Content-Encoding), the answer is never a
// 5xx, every API error is problem+json, and a refused request writes nothing.

let server: TestServer;
let key: string;
let auditor: string;
let consoleCookie: string;
let performer: TestPerformer;

beforeAll(async () => {
  server = await startPortalServer({ reports: { rateLimit: 10_000 } });
  key = (await server.createPlatform()).apiKey;
  auditor = await auditorToken(server.ctx.db, null);
  const login = await fetch(`${server.url}/audit/login`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ token: auditor }),
  });
  consoleCookie = login.headers.getSetCookie()[0]!.split(";")[0]!;
  performer = await newPerformer(server).onboard(freshIdentity());
});
afterAll(() => server?.close());

const RUNS = 120;
/** Per route in the all-routes sweep: about 90 routes, so this is the bulk of the suite's requests. */
const RUNS_PER_ROUTE = 8;
/** GET routes are cheap (nothing to count before and after): more runs for their queries. */
const RUNS_PER_GET_ROUTE = 20;

/**
 * Rows any endpoint could write: compared before and after a refused request. The count before
 * waits for the invitation mails of earlier accepted requests: the mail worker records each one's
 * outcome (an audit entry) after the answer, which a refused request did not write.
 */
async function footprint({ settle = false } = {}) {
  const db = server.ctx.db;
  if (settle) await mailsSettled();
  const [publications, slots, fingerprints, events, keys, outbox, mails, reports, endpoints] = await Promise.all([
    db.publication.count(),
    db.slot.count(),
    db.contentFingerprint.count(),
    db.auditEvent.count(),
    db.idempotencyKey.count(),
    db.outboxMessage.count(),
    db.invitationMail.count(),
    db.report.count(),
    db.webhookEndpoint.count(),
  ]);
  return { publications, slots, fingerprints, events, keys, outbox, mails, reports, endpoints };
}

/** Resolves once no invitation mail waits to be sent: the worker has recorded every outcome. */
async function mailsSettled() {
  for (const deadline = Date.now() + 30_000; Date.now() < deadline; ) {
    const waiting = await server.ctx.db.invitationMail.count({ where: { status: { in: ["pending", "retrying"] } } });
    if (waiting === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error("invitation mails still waiting after 30 s");
}

/** Pages (HTML for people) may answer errors as HTML; everything else answers problem+json. */
const isPage = (path: string) =>
  (path.startsWith("/portal") && !path.startsWith("/portal/api")) || path.startsWith("/audit");

function expectWellFormed(res: { status: number; headers: http.IncomingHttpHeaders; body: unknown }, path = "") {
  expect(res.status).toBeLessThan(500);
  if (res.status < 400) return;
  const type = String(res.headers["content-type"] ?? "");
  if (isPage(path) && type.startsWith("text/html")) return;
  expect(type).toMatch(/^application\/problem\+json/);
  expect(res.body).toMatchObject({ status: res.status, code: expect.any(String), type: expect.any(String) });
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Every path into a JSON value, so that a mutation can hit any field at any depth. */
function paths(value: Json, prefix: Array<string | number> = []): Array<Array<string | number>> {
  if (Array.isArray(value)) return [prefix, ...value.flatMap((v, i) => paths(v, [...prefix, i]))];
  if (value && typeof value === "object")
    return [prefix, ...Object.entries(value).flatMap(([k, v]) => paths(v, [...prefix, k]))];
  return [prefix];
}

const at = (value: Json, path: Array<string | number>): Json =>
  path.reduce<Json>((node, key) => (node as Record<string | number, Json>)[key]!, value);

function mutate(value: Json, path: Array<string | number>, replacement: Json | undefined): Json {
  if (!path.length) return replacement ?? null;
  const [head, ...rest] = path;
  const copy = (Array.isArray(value) ? [...value] : { ...(value as object) }) as Record<string | number, Json>;
  if (rest.length === 0 && replacement === undefined) delete copy[head!];
  else copy[head!] = mutate(copy[head!] ?? null, rest, replacement);
  return copy as Json;
}

/** Names that are properties of every plain object: looked up with user input, they find code. */
const PROTOTYPE_NAMES = [
  "__proto__",
  "constructor",
  "prototype",
  "toString",
  "valueOf",
  "hasOwnProperty",
  "isPrototypeOf",
  "__defineGetter__",
];

/**
 * One UTF-16 code unit or code point that input handling tends to get wrong: NUL and other
 * controls, lone surrogates, bidi controls, zero-width characters, and anything else.
 */
const awkwardChar = fc.oneof(
  // NUL first: PostgreSQL refuses it in text, so it is what turns a bad input into a crash.
  { weight: 3, arbitrary: fc.constant("\u0000") },
  fc.constantFrom(
    "\u0001",
    "\u001b",
    "\u007f",
    "\u0085",
    "\ud800",
    "\udfff",
    "\u202a",
    "\u202e",
    "\u2066",
    "\u2069",
    "\u200b",
    "\u200d",
    "\u2060",
    "\ufeff",
    "\ufffe",
    "%",
    "/",
    "\\",
    "?",
    "#",
    ".",
  ),
  fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)),
  fc.integer({ min: 0x10000, max: 0x10ffff }).map((c) => String.fromCodePoint(c)),
);

/** Any string at all, well-formed or not. */
const anyString = fc.oneof(
  fc.string({ unit: awkwardChar, maxLength: 40 }),
  fc.string({ unit: "grapheme", maxLength: 200 }),
  fc.constantFrom(...PROTOTYPE_NAMES, "", " ", "..", "<script>", "../../etc/passwd", "9".repeat(400), "NaN", "-0"),
);

/** `value` with one awkward character put somewhere in it: valid input that turns invalid. */
const spiked = (value: string) =>
  fc.tuple(fc.nat({ max: value.length }), awkwardChar).map(([i, char]) => value.slice(0, i) + char + value.slice(i));

const nasty = fc.oneof(
  fc.jsonValue(),
  anyString,
  fc.constantFrom(-1, 0, 1e308, -1e308, 2 ** 53 + 1, 0.1),
) as fc.Arbitrary<Json>;

/** A valid body with one field replaced, removed, spiked or added, or any JSON at all. */
function bodies(valid: () => Json): fc.Arbitrary<Json> {
  const edited = fc
    .tuple(fc.nat(), fc.option(nasty, { nil: undefined }), fc.boolean(), fc.constantFrom(...PROTOTYPE_NAMES))
    .map(([pick, replacement, addKey, name]) => {
      const body = valid();
      const all = paths(body);
      const path = all[pick % all.length]!;
      return addKey
        ? mutate(body, [...path, pick % 2 ? name : "unexpected"], replacement ?? null)
        : mutate(body, path, replacement);
    });
  const stringsOf = (body: Json) => paths(body).filter((p) => typeof at(body, p) === "string");
  const spikeOne = fc.nat().chain((pick) => {
    const body = valid();
    const strings = stringsOf(body);
    const path = strings[pick % strings.length]!;
    return spiked(at(body, path) as string).map((s) => mutate(body, path, s));
  });
  // Every string at once: the one field whose schema lets NUL through is then surely hit.
  const spikeAll = fc.constant(null).chain(() => {
    const body = valid();
    const strings = stringsOf(body);
    return fc
      .tuple(...strings.map((path) => spiked(at(body, path) as string)))
      .map((values) => strings.reduce((b, path, i) => mutate(b, path, values[i]!), body));
  });
  return fc.oneof(fc.jsonValue() as fc.Arbitrary<Json>, edited, spikeOne, spikeAll);
}

const validUntil = () => new Date(Date.now() + 365 * 86_400_000).toISOString();

/** Valid bodies of the JSON endpoints, for mutation; other routes get objects of known field names. */
const VALID_BODIES: Record<string, () => Json> = {
  "POST /v1/publications": () =>
    publicationRequest({ previewUrl: "https://cdn.example.test/preview.jpg" }) as unknown as Json,
  "POST /v1/check": () => ({ fingerprint: { alg: "sha-256", value: hex64() } }),
  "POST /v1/reports": () => ({
    category: "no_consent",
    description: "This shows me without my consent.",
    url: "https://platform.example/v/1",
    contact: "me@example.test",
  }),
  "POST /v1/webhook-endpoints": () => ({
    url: "https://hooks.example/vergewis",
    description: "Takedown worker",
    eventTypes: ["takedown.requested"],
  }),
  "POST /v1/takedowns/:id/ack": () => ({ removedAt: new Date().toISOString(), note: "Removed from the CDN." }),
  "POST /v1/reports/:id/resolve": () => ({
    decision: "removed",
    facts: "The content was published without consent.",
    automatedDetection: false,
    automatedDecision: false,
    contractualGround: "Terms 4.2",
    redress: "Internal complaint via /appeals.",
  }),
};

type Shaped = { shape?: Record<string, unknown> };
const shapeKeys = (pattern: RegExp) =>
  Object.entries(sdk)
    .filter(([name]) => pattern.test(name))
    .flatMap(([, schema]) => Object.keys((schema as Shaped).shape ?? {}));

/** Every query parameter the API knows (from the SDK's query schemas) and the pages' own. */
const QUERY_NAMES = [...new Set([...shapeKeys(/QuerySchema$/), "lang", "returnTo", "code", "state", "iss"])];
/** Every body field the API knows, for bodies of routes without a valid example. */
const FIELD_NAMES = [
  ...new Set([...shapeKeys(/RequestSchema$/), "response", "document", "code", "csrf", "token", "id"]),
];

/**
 * Mostly one parameter the route accepts with an odd value (an unknown one is refused before its
 * value matters), else any parameters at all.
 */
const queries = (accepted: string[]) =>
  fc.oneof(
    {
      weight: 3,
      arbitrary: fc
        .tuple(
          fc.constantFrom(...accepted),
          fc.oneof(fc.constantFrom("a", "abc", "1", "open").chain(spiked), anyString),
        )
        .map(([name, value]): Record<string, string | string[]> => ({ [name]: value })),
    },
    fc.dictionary(
      fc.oneof(fc.constantFrom(...QUERY_NAMES), fc.constantFrom(...PROTOTYPE_NAMES), anyString),
      fc.oneof(anyString, fc.array(anyString, { maxLength: 3 })),
      { maxKeys: 4 },
    ),
  );

const genericBody = fc.dictionary(
  fc.oneof(fc.constantFrom(...FIELD_NAMES), fc.constantFrom(...PROTOTYPE_NAMES)),
  nasty,
  { maxKeys: 4 },
) as fc.Arbitrary<Json>;

/** A path segment: prototype names, UUIDs and numbers with something added, or anything. */
const segment = fc.oneof(
  fc.constantFrom(...PROTOTYPE_NAMES, "uplot.js", "00000000-0000-7000-8000-000000000000", "0", "-1", "1e400"),
  fc.uuid().chain(spiked),
  anyString.filter((s) => s !== "" && s !== "." && s !== ".."),
);

/**
 * Percent-encodes every byte outside RFC 3986's unreserved set, writing lone surrogates as the
 * three bytes a careless client sends (WTF-8): `encodeURIComponent` would throw on them.
 */
function percentEncode(value: string): string {
  let out = "";
  for (const char of value) {
    const cp = char.codePointAt(0)!;
    if (/^[A-Za-z0-9\-._~]$/.test(char)) {
      out += char;
      continue;
    }
    const bytes =
      cp < 0x80
        ? [cp]
        : cp < 0x800
          ? [0xc0 | (cp >> 6), 0x80 | (cp & 63)]
          : cp < 0x10000
            ? [0xe0 | (cp >> 12), 0x80 | ((cp >> 6) & 63), 0x80 | (cp & 63)]
            : [0xf0 | (cp >> 18), 0x80 | ((cp >> 12) & 63), 0x80 | ((cp >> 6) & 63), 0x80 | (cp & 63)];
    out += bytes.map((b) => `%${b.toString(16).toUpperCase().padStart(2, "0")}`).join("");
  }
  return out;
}

const ENCODINGS = [
  "gzip",
  "deflate",
  "br",
  "x-gzip",
  "compress",
  "zstd",
  "GZIP",
  "gzip, br",
  " gzip ",
  "identity, gzip",
];

/** How the body travels: plain, or with a Content-Encoding and either a real encoding of it or garbage. */
const encodings = fc.oneof(
  { weight: 3, arbitrary: fc.constant(undefined) },
  {
    weight: 1,
    arbitrary: fc.record({
      name: fc.oneof(fc.constantFrom(...ENCODINGS), fc.string({ minLength: 1, maxLength: 12 })),
      corrupt: fc.boolean(),
    }),
  },
);

function encode(body: Buffer, encoding: { name: string; corrupt: boolean } | undefined): Buffer {
  if (!encoding || encoding.corrupt) return encoding ? Buffer.from("x") : body;
  const name = encoding.name.trim().toLowerCase();
  if (name.startsWith("gzip") || name === "x-gzip") return zlib.gzipSync(body);
  if (name === "deflate") return zlib.deflateSync(body);
  if (name === "br") return zlib.brotliCompressSync(body);
  return body;
}

interface Raw {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: unknown;
}

/** A request exactly as given (raw path, raw bytes): fetch and supertest would tidy it up. */
function send(method: string, path: string, headers: Record<string, string>, body?: Buffer): Promise<Raw> {
  const { hostname, port } = new URL(server.url);
  return new Promise((resolve, reject) => {
    const req = http.request(
      { hostname, port, method, path, headers: { ...headers, ...(body && { "content-length": body.length }) } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => {
          const text = Buffer.concat(chunks).toString("utf8");
          let parsed: unknown = text;
          try {
            parsed = JSON.parse(text);
          } catch {
            // not JSON: pages, redirects, assets
          }
          resolve({ status: res.statusCode!, headers: res.headers, body: parsed });
        });
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

/** The caller who gets past authentication on `route`, so that the input is what gets tested. */
function credentials(route: RouteEntry): Record<string, string> {
  const { method, path } = route;
  if (path.includes("logout")) return {};
  if (path.startsWith("/v1/audit")) return bearer(auditor);
  if (path.startsWith("/v1/status-lists") || path.startsWith("/v1/log")) return {};
  if (path === "/v1/reports" && method === "POST") return {};
  if (path.startsWith("/v1")) return bearer(key);
  if (path.startsWith("/audit")) return { cookie: consoleCookie };
  if (path.startsWith("/portal")) {
    const jar = performer.browser.cookies.get(new URL(server.url).host) ?? new Map<string, string>();
    return {
      cookie: [...jar].map(([k, v]) => `${k}=${v}`).join("; "),
      "x-csrf-token": performer.csrfToken,
      origin: new URL(server.url).origin,
    };
  }
  return {};
}

const routeRequests = (route: RouteEntry, accepted: string[]) => {
  const params = route.path.match(/:\w+/g) ?? [];
  const hasBody = route.method !== "GET";
  const valid = VALID_BODIES[`${route.method} ${route.path}`];
  return fc.record({
    segments: fc.tuple(...params.map(() => segment)),
    query: queries(accepted),
    body: hasBody ? (valid ? bodies(valid) : genericBody) : fc.constant(undefined),
    encoding: hasBody ? encodings : fc.constant(undefined),
  });
};

/**
 * The query parameters a route accepts, asked of the route itself: one request with every known
 * name, and the names its answer does not refuse as unknown fields.
 */
async function acceptedQueryNames(route: RouteEntry, params: string[]): Promise<string[]> {
  if (route.method !== "GET") return QUERY_NAMES;
  let path = route.path;
  for (const name of params) path = path.replace(name, "00000000-0000-7000-8000-000000000000");
  const res = await send("GET", `${path}?${QUERY_NAMES.map((n) => `${n}=`).join("&")}`, credentials(route));
  const errors = (res.body as { errors?: Array<{ pointer: string; reason: string }> }).errors;
  if (!errors) return QUERY_NAMES;
  const unknown = new Set(errors.filter((e) => e.reason === "unknown field").map((e) => e.pointer));
  const accepted = QUERY_NAMES.filter((n) => !unknown.has(`/query/${n}`));
  return accepted.length ? accepted : QUERY_NAMES;
}

describe("every route", () => {
  let routes: RouteEntry[];
  beforeAll(() => {
    routes = listRoutes(createApp(server.ctx));
  });

  test("any path segment, query and body: never a 5xx, always a well-formed error, nothing written when refused", async () => {
    expect(routes.length).toBeGreaterThan(80);
    const failures: string[] = [];
    for (const route of routes) {
      let n = 0;
      const names = route.path.match(/:\w+/g) ?? [];
      const accepted = await acceptedQueryNames(route, names);
      const result = await fc.check(
        fc.asyncProperty(routeRequests(route, accepted), async ({ segments, query, body, encoding }) => {
          n++;
          let path = route.path;
          names.forEach((name, i) => (path = path.replace(name, percentEncode(segments[i]!))));
          const search = Object.entries(query)
            .flatMap(([k, v]) => [v].flat().map((item) => `${percentEncode(k)}=${percentEncode(item)}`))
            .join("&");
          const form = isPage(route.path);
          const payload =
            body === undefined
              ? undefined
              : form
                ? new URLSearchParams({
                    csrf: performer.csrfToken,
                    ...Object.fromEntries(
                      Object.entries(body as object).map(([k, v]) => [
                        k,
                        typeof v === "string" ? v : JSON.stringify(v),
                      ]),
                    ),
                  }).toString()
                : JSON.stringify(body);
          const headers: Record<string, string> = {
            ...credentials(route),
            ...(payload !== undefined && {
              "content-type": form ? "application/x-www-form-urlencoded" : "application/json",
            }),
            ...(encoding && { "content-encoding": encoding.name }),
          };
          const before = route.method === "GET" ? undefined : await footprint({ settle: true });
          const res = await send(
            route.method,
            search ? `${path}?${search}` : path,
            headers,
            payload === undefined ? undefined : encode(Buffer.from(payload), encoding),
          );
          expectWellFormed(res, route.path);
          if (before && res.status >= 400) expect(await footprint()).toEqual(before);
        }),
        { numRuns: route.method === "GET" ? RUNS_PER_GET_ROUTE : RUNS_PER_ROUTE, endOnFailure: true },
      );
      if (result.failed)
        failures.push(
          `${route.method} ${route.path} (after ${n} requests): ${JSON.stringify(result.counterexample)}\n  ${
            String(result.errorInstance).split("\n")[0]
          }`,
        );
    }
    expect(failures).toEqual([]);
  }, 600_000);
});

const endpoints: Array<{ name: string; path: string; valid: () => Json }> = [
  { name: "POST /v1/publications", path: "/v1/publications", valid: VALID_BODIES["POST /v1/publications"]! },
  { name: "POST /v1/check", path: "/v1/check", valid: VALID_BODIES["POST /v1/check"]! },
];

describe.each(endpoints)("$name", ({ path, valid }) => {
  test("bodies: never a 5xx, always problem+json, nothing written when refused", async () => {
    await fc.assert(
      fc.asyncProperty(bodies(valid), async (body) => {
        const before = await footprint({ settle: true });
        const res = await request(server.url)
          .post(path)
          .set(bearer(key))
          .set("Content-Type", "application/json")
          .send(JSON.stringify(body));
        expectWellFormed(res);
        if (res.status >= 400) expect(await footprint()).toEqual(before);
      }),
      { numRuns: RUNS },
    );
  });

  test("headers: any Authorization, Idempotency-Key, Content-Type and Content-Encoding", async () => {
    const header = fc.string({
      unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)),
      maxLength: 300,
    });
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          authorization: fc.oneof(header, fc.constant(`Bearer ${key}`)),
          idempotency: header,
          type: fc.oneof(header, fc.constant("application/json")),
          encoding: encodings,
        }),
        async ({ authorization, idempotency, type, encoding }) => {
          const before = await footprint({ settle: true });
          const res = await send(
            "POST",
            path,
            {
              authorization,
              "idempotency-key": idempotency,
              "content-type": type,
              ...(encoding && { "content-encoding": encoding.name }),
            },
            encode(Buffer.from(JSON.stringify(valid())), encoding),
          );
          expectWellFormed(res);
          if (res.status >= 400) expect(await footprint()).toEqual(before);
        },
      ),
      { numRuns: RUNS },
    );
  });
});

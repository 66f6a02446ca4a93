import fc from "fast-check";
import request from "supertest";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { bearer, publicationRequest } from "../support/fixtures.ts";
import { startTestServer, type TestServer } from "../support/server.ts";

// Property-based fuzzing of every JSON endpoint: whatever arrives, the answer is never a 5xx,
// every error is problem+json, and a refused request writes nothing.

let server: TestServer;
let key: string;

beforeAll(async () => {
  server = await startTestServer();
  key = (await server.createPlatform()).apiKey;
});
afterAll(() => server?.close());

const RUNS = 120;

/** Rows any endpoint could write: compared before and after a refused request. */
async function footprint() {
  const db = server.ctx.db;
  const [publications, slots, fingerprints, events, keys, outbox] = await Promise.all([
    db.publication.count(),
    db.slot.count(),
    db.contentFingerprint.count(),
    db.auditEvent.count(),
    db.idempotencyKey.count(),
    db.outboxMessage.count(),
  ]);
  return { publications, slots, fingerprints, events, keys, outbox };
}

function expectWellFormed(res: request.Response) {
  expect(res.status).toBeLessThan(500);
  if (res.status >= 400) {
    expect(res.headers["content-type"]).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ status: res.status, code: expect.any(String), type: expect.any(String) });
  }
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Every path into a JSON value, so that a mutation can hit any field at any depth. */
function paths(value: Json, prefix: Array<string | number> = []): Array<Array<string | number>> {
  if (Array.isArray(value)) return [prefix, ...value.flatMap((v, i) => paths(v, [...prefix, i]))];
  if (value && typeof value === "object")
    return [prefix, ...Object.entries(value).flatMap(([k, v]) => paths(v, [...prefix, k]))];
  return [prefix];
}

function mutate(value: Json, path: Array<string | number>, replacement: Json | undefined): Json {
  if (!path.length) return replacement ?? null;
  const [head, ...rest] = path;
  const copy = (Array.isArray(value) ? [...value] : { ...(value as object) }) as Record<string | number, Json>;
  if (rest.length === 0 && replacement === undefined) delete copy[head!];
  else copy[head!] = mutate(copy[head!] ?? null, rest, replacement);
  return copy as Json;
}

const nasty = fc.oneof(
  fc.jsonValue(),
  fc.string({ unit: "grapheme", maxLength: 400 }),
  fc.constantFrom("", " ", "\u0000", "\u202e", "<script>", "../../etc/passwd", "9".repeat(400), "NaN", "-0"),
  fc.constantFrom(-1, 0, 1e308, -1e308, 2 ** 53 + 1, 0.1),
) as fc.Arbitrary<Json>;

/** A valid body with one field replaced, removed or added, or any JSON at all. */
function bodies(valid: () => Json): fc.Arbitrary<Json> {
  return fc.oneof(
    fc.jsonValue() as fc.Arbitrary<Json>,
    fc.tuple(fc.nat(), fc.option(nasty, { nil: undefined }), fc.boolean()).map(([pick, replacement, addKey]) => {
      const body = valid();
      const all = paths(body);
      const path = all[pick % all.length]!;
      return addKey ? mutate(body, [...path, "unexpected"], replacement ?? null) : mutate(body, path, replacement);
    }),
  );
}

const endpoints: Array<{ name: string; path: string; valid: () => Json }> = [
  { name: "POST /v1/publications", path: "/v1/publications", valid: () => publicationRequest() as unknown as Json },
  {
    name: "POST /v1/check",
    path: "/v1/check",
    valid: () => ({ fingerprint: { alg: "sha-256", value: "ab".repeat(32) } }),
  },
];

describe.each(endpoints)("$name", ({ path, valid }) => {
  test("bodies: never a 5xx, always problem+json, nothing written when refused", async () => {
    await fc.assert(
      fc.asyncProperty(bodies(valid), async (body) => {
        const before = await footprint();
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

  test("headers: any Authorization, Idempotency-Key and Content-Type", async () => {
    const header = fc.string({
      unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)),
      maxLength: 300,
    });
    await fc.assert(
      fc.asyncProperty(
        fc.record({ authorization: fc.oneof(header, fc.constant(`Bearer ${key}`)), idempotency: header, type: header }),
        async ({ authorization, idempotency, type }) => {
          const before = await footprint();
          const res = await request(server.url)
            .post(path)
            .set("Authorization", authorization)
            .set("Idempotency-Key", idempotency)
            .set("Content-Type", type)
            .send(JSON.stringify(valid()));
          expectWellFormed(res);
          if (res.status >= 400) expect(await footprint()).toEqual(before);
        },
      ),
      { numRuns: RUNS },
    );
  });
});

test("GET /v1/publications: any query string", async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.dictionary(fc.string({ maxLength: 20 }), fc.oneof(fc.string(), fc.array(fc.string()))),
      async (query) => {
        const res = await request(server.url).get("/v1/publications").query(query).set(bearer(key));
        expectWellFormed(res);
      },
    ),
    { numRuns: RUNS },
  );
});

test("GET /v1/publications/{id}: any id", async () => {
  await fc.assert(
    fc.asyncProperty(fc.oneof(fc.uuid(), fc.string({ minLength: 1 })), async (id) => {
      const res = await request(server.url)
        .get(`/v1/publications/${encodeURIComponent(id)}`)
        .set(bearer(key));
      expectWellFormed(res);
      expect([404]).toContain(res.status);
    }),
    { numRuns: RUNS },
  );
});

import request from "supertest";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import {
  checkpointSchema,
  consistencyProofSchema,
  hashLeaf,
  inclusionProofSchema,
  logKeySchema,
  verifyCheckpoint,
  verifyConsistency,
  verifyInclusion,
} from "@vergewis/sdk";
import { auditorToken, publish } from "../support/audit.ts";
import { bearer } from "../support/fixtures.ts";
import { hexList, ReferenceTree } from "../support/merkle-reference.ts";
import { startTestServer, type TestServer } from "../support/server.ts";

let server: TestServer;
let token: string;
let apiKey: string;

beforeAll(async () => {
  server = await startTestServer({ audit: { origin: "audit.example.test/log" } });
  const platform = await server.createPlatform("Alpha");
  apiKey = platform.apiKey;
  token = await auditorToken(server.ctx.db, null);
  for (let i = 0; i < 12; i++) await publish(server.url, apiKey);
});
afterAll(() => server?.close());

const api = () => request(server.url);
const get = (path: string) => api().get(path).set(bearer(token));
const bytes = (b64: string) => new Uint8Array(Buffer.from(b64, "base64"));
const vkey = async () => logKeySchema.parse((await api().get("/v1/log/key").expect(200)).body).verifierKey;
const entries = async () =>
  (await server.ctx.db.auditEvent.findMany({ orderBy: { index: "asc" } })).map((e) => e.entry);

describe("public checkpoint and key", () => {
  test("GET /v1/log/key names the Ed25519 key the way signed notes do", async () => {
    const key = logKeySchema.parse((await api().get("/v1/log/key").expect(200)).body);
    expect(key).toMatchObject({
      origin: "audit.example.test/log",
      keyName: "audit.example.test/log",
      algorithm: "Ed25519",
    });
    // It signs notes, not JWS: the JWKS (receipts, status lists) does not carry it.
    const jwks = (await api().get("/.well-known/jwks.json").expect(200)).body as { keys: Array<{ kty: string }> };
    expect(jwks.keys.length).toBeGreaterThan(0);
    expect(jwks.keys.filter((k) => k.kty === "OKP")).toEqual([]);
    expect(key.verifierKey).toBe(
      `audit.example.test/log+${key.keyId}+${Buffer.concat([Buffer.from([1]), Buffer.from(key.publicKey, "base64")]).toString("base64")}`,
    );
  });

  test("GET /v1/log/checkpoint is a C2SP checkpoint signed by that key, anonymous", async () => {
    await api().post("/v1/audit/checkpoint").set(bearer(token)).expect(200);
    const res = await api().get("/v1/log/checkpoint").expect(200);
    expect(res.headers["content-type"]).toBe("text/plain; charset=utf-8");
    const lines = res.text.split("\n");
    expect(lines[0]).toBe("audit.example.test/log");
    expect(lines[1]).toMatch(/^[1-9]\d*$/);
    expect(lines[3]).toBe("");
    expect(lines[4]).toMatch(/^— audit\.example\.test\/log [A-Za-z0-9+/]{91}=$/);
    const checkpoint = await verifyCheckpoint(res.text, await vkey());
    expect(Buffer.from(checkpoint.rootHash).equals(new ReferenceTree(await entries()).root(checkpoint.treeSize))).toBe(
      true,
    );
  });

  test("the log records the key that signs its checkpoints", async () => {
    const res = await get("/v1/audit/events?type=log.key_activated").expect(200);
    const key = logKeySchema.parse((await api().get("/v1/log/key").expect(200)).body);
    expect(res.body.items.map((e: { data: unknown }) => e.data)).toEqual([
      { keyId: key.keyId, keyName: key.keyName, publicKey: key.publicKey },
    ]);
  });

  test("POST /v1/audit/checkpoint signs the current tree on demand, once per size", async () => {
    await publish(server.url, apiKey);
    const size = await server.ctx.db.auditEvent.count();
    const first = checkpointSchema.parse(
      (await api().post("/v1/audit/checkpoint").set(bearer(token)).expect(200)).body,
    );
    expect(first.treeSize).toBe(size);
    const again = checkpointSchema.parse(
      (await api().post("/v1/audit/checkpoint").set(bearer(token)).expect(200)).body,
    );
    expect(again).toEqual(first);
    expect((await api().get("/v1/log/checkpoint").expect(200)).text).toBe(first.note);
    await api().post("/v1/audit/checkpoint").expect(401);
  });

  test("a rotated log key signs from then on, announced in the log; earlier checkpoints keep verifying", async () => {
    // Key files in the data directory (no key in configuration), so that a rotation takes effect at once.
    const rotating = await startTestServer({ keys: { logSigningKey: undefined } });
    try {
      const keyOf = async () => logKeySchema.parse((await request(rotating.url).get("/v1/log/key").expect(200)).body);
      const first = await keyOf();
      const before = (await request(rotating.url).get("/v1/log/checkpoint").expect(200)).text;
      await rotating.ctx.keys.rotate("log");
      const second = await keyOf();
      expect(second.keyId).not.toBe(first.keyId);
      const { apiKey: key } = await rotating.createPlatform("P");
      await publish(rotating.url, key);
      const token = await auditorToken(rotating.ctx.db, null);
      const after = checkpointSchema.parse(
        (await request(rotating.url).post("/v1/audit/checkpoint").set(bearer(token)).expect(200)).body,
      ).note;
      await verifyCheckpoint(before, first.verifierKey);
      await verifyCheckpoint(after, second.verifierKey);
      await expect(verifyCheckpoint(after, first.verifierKey)).rejects.toMatchObject({
        code: "checkpoint_signature_invalid",
      });
      const activated = await request(rotating.url)
        .get("/v1/audit/events?type=log.key_activated")
        .set(bearer(token))
        .expect(200);
      expect(activated.body.items.map((e: { data: { keyId: string } }) => e.data.keyId)).toEqual([
        first.keyId,
        second.keyId,
      ]);
    } finally {
      await rotating.close();
    }
  });

  test("checkpoints are also signed periodically", async () => {
    const periodic = await startTestServer({ audit: { checkpointIntervalSeconds: 1 } }, {});
    try {
      const { apiKey: key } = await periodic.createPlatform("P");
      await publish(periodic.url, key);
      const size = await periodic.ctx.db.auditEvent.count();
      await expect
        .poll(async () => Number((await request(periodic.url).get("/v1/log/checkpoint")).text.split("\n")[1]), {
          timeout: 10_000,
        })
        .toBe(size);
    } finally {
      await periodic.close();
    }
  });
});

describe("GET /v1/audit/proofs/inclusion", () => {
  test("by index: verifies against the signed checkpoint it names", async () => {
    const proof = inclusionProofSchema.parse((await get("/v1/audit/proofs/inclusion?index=5").expect(200)).body);
    const checkpoint = await verifyCheckpoint(proof.checkpoint!, await vkey());
    expect(proof.treeSize).toBe(checkpoint.treeSize);
    const entry = (await entries())[5]!;
    verifyInclusion({
      index: 5,
      treeSize: proof.treeSize,
      leafHash: hashLeaf(entry),
      proof: proof.proof.map(bytes),
      rootHash: checkpoint.rootHash,
    });
    expect(hexList(proof.proof.map(bytes))).toBe(
      hexList(new ReferenceTree(await entries()).inclusion(5, proof.treeSize)),
    );
  });

  test("by leaf hash, and for an earlier tree size", async () => {
    const entry = (await entries())[3]!;
    const leafHash = Buffer.from(hashLeaf(entry)).toString("base64");
    const proof = inclusionProofSchema.parse(
      (await get(`/v1/audit/proofs/inclusion?leafHash=${encodeURIComponent(leafHash)}&treeSize=7`).expect(200)).body,
    );
    expect(proof).toMatchObject({ index: 3, treeSize: 7, leafHash });
    const reference = new ReferenceTree(await entries());
    verifyInclusion({
      index: 3,
      treeSize: 7,
      leafHash: bytes(leafHash),
      proof: proof.proof.map(bytes),
      rootHash: reference.root(7),
    });
  });

  test("covers the newest entry at once: a fresh checkpoint is signed when needed", async () => {
    await publish(server.url, apiKey);
    const last = (await server.ctx.db.auditEvent.count()) - 1;
    const proof = inclusionProofSchema.parse((await get(`/v1/audit/proofs/inclusion?index=${last}`).expect(200)).body);
    const checkpoint = await verifyCheckpoint(proof.checkpoint!, await vkey());
    expect(checkpoint.treeSize).toBe(last + 1);
  });

  test.each([
    ["", "/query/index"],
    ["index=1&leafHash=" + encodeURIComponent(Buffer.alloc(32).toString("base64")), "/query/index"],
    ["index=-1", "/query/index"],
    ["index=x", "/query/index"],
    ["leafHash=abc", "/query/leafHash"],
    ["index=2&treeSize=2", "/query/treeSize"],
    ["index=2&treeSize=999999", "/query/treeSize"],
    ["index=2&treeSize=0", "/query/treeSize"],
  ])("refuses ?%s (400, %s)", async (query, pointer) => {
    const res = await get(`/v1/audit/proofs/inclusion?${query}`).expect(400);
    expect(res.body).toMatchObject({ code: "invalid_request" });
    expect(res.body.errors.map((e: { pointer: string }) => e.pointer)).toContain(pointer);
  });

  test("an unknown leaf is 404", async () => {
    await get(
      `/v1/audit/proofs/inclusion?leafHash=${encodeURIComponent(Buffer.alloc(32, 1).toString("base64"))}`,
    ).expect(404);
    await get("/v1/audit/proofs/inclusion?index=999999").expect(404);
  });
});

describe("GET /v1/audit/proofs/consistency", () => {
  test("proves that the newest checkpoint extends an earlier size", async () => {
    const reference = new ReferenceTree(await entries());
    for (const from of [1, 2, 3, 4, 7, 8, 9]) {
      const proof = consistencyProofSchema.parse(
        (await get(`/v1/audit/proofs/consistency?from=${from}`).expect(200)).body,
      );
      const checkpoint = await verifyCheckpoint(proof.checkpoint!, await vkey());
      verifyConsistency({
        oldSize: from,
        newSize: proof.to,
        oldRoot: reference.root(from),
        newRoot: checkpoint.rootHash,
        proof: proof.proof.map(bytes),
      });
    }
    const between = consistencyProofSchema.parse(
      (await get("/v1/audit/proofs/consistency?from=3&to=10").expect(200)).body,
    );
    expect(hexList(between.proof.map(bytes))).toBe(hexList(reference.consistency(3, 10)));
  });

  test.each([
    ["", "/query/from"],
    ["from=0", "/query/from"],
    ["from=5&to=4", "/query/from"],
    ["from=999999", "/query/from"],
    ["from=1&to=999999", "/query/to"],
    ["from=1&to=x", "/query/to"],
  ])("refuses ?%s (400, %s)", async (query, pointer) => {
    const res = await get(`/v1/audit/proofs/consistency?${query}`).expect(400);
    expect(res.body.errors.map((e: { pointer: string }) => e.pointer)).toContain(pointer);
  });
});

describe("GET /v1/audit/log/inclusion", () => {
  test("gives any auditor the hashes of any leaf, straight from the stored tree", async () => {
    const other = await server.createPlatform("Other");
    await publish(server.url, other.apiKey);
    const scoped = await auditorToken(server.ctx.db, other.id);
    const reference = new ReferenceTree(await entries());
    const res = await api().get("/v1/audit/log/inclusion?index=2&treeSize=9").set(bearer(scoped)).expect(200);
    const proof = inclusionProofSchema.parse(res.body);
    expect(proof).toMatchObject({ index: 2, treeSize: 9, leafHash: reference.mth(2, 3).toString("base64") });
    expect(hexList(proof.proof.map(bytes))).toBe(hexList(reference.inclusion(2, 9)));
    expect(JSON.stringify(res.body)).not.toContain("publication");
  });

  test.each([
    ["index=1", "/query/treeSize"],
    ["treeSize=3", "/query/index"],
    ["index=3&treeSize=3", "/query/index"],
    ["index=0&treeSize=999999", "/query/treeSize"],
  ])("refuses ?%s (400, %s)", async (query, pointer) => {
    const res = await get(`/v1/audit/log/inclusion?${query}`).expect(400);
    expect(res.body.errors.map((e: { pointer: string }) => e.pointer)).toContain(pointer);
  });
});

describe("GET /v1/audit/log/entries", () => {
  test("pages through the raw log in order", async () => {
    const all = await entries();
    const page = await get("/v1/audit/log/entries?start=2&limit=3").expect(200);
    expect(page.body.entries).toEqual([2, 3, 4].map((index) => ({ index, entry: all[index] })));
    expect((await get(`/v1/audit/log/entries?start=${all.length}`).expect(200)).body.entries).toEqual([]);
  });

  test.each([
    ["", "/query/start"],
    ["start=-1", "/query/start"],
    ["start=0&limit=0", "/query/limit"],
    ["start=0&limit=10001", "/query/limit"],
  ])("refuses ?%s (400, %s)", async (query, pointer) => {
    const res = await get(`/v1/audit/log/entries?${query}`).expect(400);
    expect(res.body.errors.map((e: { pointer: string }) => e.pointer)).toContain(pointer);
  });
});

import net from "node:net";
import request from "supertest";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { bearer } from "../support/fixtures.ts";
import { startTestServer, type TestServer } from "../support/server.ts";

let server: TestServer;
let key: string;

beforeAll(async () => {
  server = await startTestServer({ http: { headersTimeoutMs: 1_000, requestTimeoutMs: 2_000 } });
  key = (await server.createPlatform()).apiKey;
});
afterAll(() => server?.close());

/** Opens a raw connection, writes `parts` with pauses, and reports how the server answered. */
function slowClient(parts: string[], pauseMs: number): Promise<{ closedAfterMs: number; response: string }> {
  const { port } = new URL(server.url);
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const socket = net.connect(Number(port), "127.0.0.1");
    let response = "";
    socket.on("data", (d) => (response += d));
    socket.on("error", () => {});
    socket.on("close", () => resolve({ closedAfterMs: Date.now() - started, response }));
    let i = 0;
    const next = () => {
      if (socket.destroyed) return;
      if (i < parts.length) socket.write(parts[i++]!);
      setTimeout(next, pauseMs);
    };
    next();
    setTimeout(() => reject(new Error("the server never closed the slow connection")), 15_000);
  });
}

describe("slow clients", () => {
  test("headers trickled in one byte at a time are cut off", async () => {
    const headers = `GET /healthz HTTP/1.1\r\nHost: x\r\nX-Padding: ${"a".repeat(200)}\r\n\r\n`;
    const { closedAfterMs, response } = await slowClient([...headers], 100);
    expect(closedAfterMs).toBeLessThan(5_000);
    expect(response).not.toContain("200 OK");
  });

  test("a body that never finishes is cut off", async () => {
    const head = `POST /v1/check HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${key}\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n`;
    const { closedAfterMs, response } = await slowClient([head, ...Array(40).fill("{")], 250);
    expect(closedAfterMs).toBeLessThan(8_000);
    expect(response).not.toContain("200 OK");
  });
});

describe("hostile JSON", () => {
  test("deeply nested JSON is a 400 problem, not a crash", async () => {
    const depth = 40_000;
    const body = "[".repeat(depth) + "]".repeat(depth);
    const res = await request(server.url)
      .post("/v1/check")
      .set(bearer(key))
      .set("Content-Type", "application/json")
      .send(body);
    expect(res.status).toBe(400);
    expect(res.headers["content-type"]).toMatch(/^application\/problem\+json/);
    await request(server.url).get("/healthz").expect(200);
  });

  test("a deeply nested object within the size limit is a 400 problem", async () => {
    let nested: unknown = "x";
    for (let i = 0; i < 5_000; i++) nested = { a: nested };
    const res = await request(server.url).post("/v1/check").set(bearer(key)).send({ fingerprint: nested });
    expect(res.status).toBe(400);
    expect(["invalid_request", "malformed_json"]).toContain(res.body.code);
  });

  test("__proto__ keys do not pollute anything", async () => {
    const res = await request(server.url)
      .post("/v1/check")
      .set(bearer(key))
      .set("Content-Type", "application/json")
      .send('{"fingerprint":{"alg":"sha-256","value":"' + "a".repeat(64) + '"},"__proto__":{"polluted":true}}');
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([{ pointer: "/body/__proto__", reason: "unknown field" }]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

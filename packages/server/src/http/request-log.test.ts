import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Writable } from "node:stream";
import express from "express";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, test, vi } from "vitest";
import { redactUrl, requestLogger } from "./request-log.ts";

describe("redactUrl", () => {
  test.each([
    ["/v1/publications", "/v1/publications"],
    ["/portal/i/7S95T97HPJZH9RYE4NKN3C34H9", "/portal/i/[redacted]"],
    ["/portal/i/7S95T97HPJZH9RYE4NKN3C34H9/sign", "/portal/i/[redacted]/sign"],
    ["/portal/verify/callback?code=abc&state=xyz", "/portal/verify/callback?code=[redacted]&state=[redacted]"],
    ["/v1/publications?externalId=x", "/v1/publications?externalId=[redacted]"],
  ])("%s", (url, expected) => {
    expect(redactUrl(url)).toBe(expected);
  });
});

describe("requestLogger", () => {
  const lines: Array<Record<string, unknown>> = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      done();
    },
  });
  const log = pino({ level: "info" }, sink);
  let server: Server;
  let url: string;

  beforeAll(async () => {
    const app = express();
    app.use(requestLogger(log));
    // Mounted: the line names the whole URL, not the router's part of it.
    const portal = express.Router();
    portal.get("/i/:code", (_req, res) => void res.json({ ok: true }));
    app.use("/portal", portal);
    app.get("/broken", (_req, res) => void res.status(500).json({}));
    app.get("/unanswered", () => undefined);
    server = app.listen(0, "127.0.0.1");
    await new Promise((resolve) => server.once("listening", resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  test("logs one line per request: id, method, redacted URL, status and time; echoes the id", async () => {
    lines.length = 0;
    const res = await fetch(`${url}/portal/i/SECRETCODE?state=s3cr3t`, {
      headers: { "x-request-id": "trace-1", authorization: "Bearer vgw_live_secret" },
    });
    expect(res.headers.get("x-request-id")).toBe("trace-1");
    await vi.waitFor(() => expect(lines).toHaveLength(1));
    expect(lines[0]).toMatchObject({
      level: 30,
      req: { id: "trace-1", method: "GET", url: "/portal/i/[redacted]?state=[redacted]" },
      res: { statusCode: 200 },
      responseTime: expect.any(Number),
      msg: "request completed",
    });
    expect(JSON.stringify(lines)).not.toMatch(/SECRETCODE|s3cr3t|vgw_live_secret/);
  });

  test("gives a fresh id when X-Request-Id is not sane, and logs server errors as errors", async () => {
    lines.length = 0;
    const res = await fetch(`${url}/broken`, { headers: { "x-request-id": "no spaces or\ttabs" } });
    const id = res.headers.get("x-request-id");
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    await vi.waitFor(() => expect(lines).toHaveLength(1));
    expect(lines[0]).toMatchObject({ level: 50, req: { id, method: "GET", url: "/broken" }, res: { statusCode: 500 } });
  });

  test("logs a request whose client went away before the answer", async () => {
    lines.length = 0;
    await expect(fetch(`${url}/unanswered`, { signal: AbortSignal.timeout(50) })).rejects.toThrow();
    await vi.waitFor(() => expect(lines).toHaveLength(1));
    expect(lines[0]).toMatchObject({ level: 30, req: { method: "GET", url: "/unanswered" }, msg: "request aborted" });
  });

  test("a silenced logger writes nothing, and the id is still echoed", async () => {
    lines.length = 0;
    log.level = "silent";
    try {
      const res = await fetch(`${url}/broken`);
      expect(res.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(lines).toEqual([]);
    } finally {
      log.level = "info";
    }
  });
});

import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import express, { type ErrorRequestHandler } from "express";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { createGate, denialStatus, Vergewis, type FingerprintInput, type Gate, type GateTarget } from "@vergewis/sdk";
import { requireConsent } from "@vergewis/sdk/express";
import { closedPort } from "../support/closed-port.ts";
import { consentedPublication } from "../support/consented.ts";
import { hex64, publicationRequest } from "../support/fixtures.ts";
import { TestPlatform } from "../support/platform.ts";
import { movePublicationTo, revokePublication } from "../support/states.ts";
import { startTestServer, type TestServer } from "../support/server.ts";

let server: TestServer;
let vergewis: Vergewis;
/** The platform's own records: which content each of its URLs serves. */
const catalogue = new Map<string, FingerprintInput>();

beforeAll(async () => {
  server = await startTestServer();
  vergewis = new Vergewis({ apiKey: (await server.createPlatform("Middleware")).apiKey, baseUrl: server.url });
});
afterAll(() => server?.close());

async function register(name: string, options: { cleared?: boolean } = {}) {
  const fingerprint: FingerprintInput = { alg: "sha-256", value: hex64() };
  const { id } = await vergewis.publications.create(publicationRequest({ contentFingerprints: [fingerprint] }));
  if (options.cleared) await movePublicationTo(server.ctx.db, id, ["cleared"]);
  catalogue.set(name, fingerprint);
  return id;
}

const targetFor = (name: string): GateTarget | undefined => {
  const fingerprint = catalogue.get(name);
  return fingerprint && { fingerprint };
};

/** A real Express app on 127.0.0.1 serving `/videos/:name` behind the middleware. */
async function serve(gate: Gate, extra: Partial<Parameters<typeof requireConsent>[0]> = {}) {
  const app = express();
  app.get(
    "/videos/:name",
    requireConsent({ gate, target: async (req) => targetFor(String(req.params.name)), ...extra }),
    (_req, res) => {
      res.json({
        serving: true,
        decision: { reason: res.locals.vergewis?.reason, source: res.locals.vergewis?.source },
      });
    },
  );
  const onError: ErrorRequestHandler = (error: Error, _req, res, _next) => {
    res.status(500).json({ error: error.name });
  };
  app.use(onError);
  const http = await new Promise<Server>((resolve) => {
    const listening = app.listen(0, "127.0.0.1", () => resolve(listening));
  });
  const base = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  return {
    get: (name: string) => fetch(`${base}/videos/${name}`),
    close: () => new Promise<void>((resolve) => http.close(() => resolve())),
  };
}

describe("requireConsent", () => {
  test("serves cleared content, with the decision in res.locals and no shared caching", async () => {
    await register("cleared", { cleared: true });
    const app = await serve(createGate({ client: vergewis }));
    try {
      const res = await app.get("cleared");
      expect(res.status).toBe(200);
      expect(res.headers.get("cache-control")).toBe("private, no-cache");
      expect(await res.json()).toEqual({ serving: true, decision: { reason: "cleared", source: "online" } });
    } finally {
      await app.close();
    }
  });

  test("refuses with the status that fits the reason, uncacheable", async () => {
    const revokedId = await register("revoked", { cleared: true });
    await revokePublication(server.ctx.db, revokedId);
    await register("pending");
    const app = await serve(createGate({ client: vergewis }));
    try {
      for (const [name, status, text] of [
        ["pending", 403, /not everyone shown has consented/],
        ["revoked", 410, /consent was withdrawn/],
        ["never-uploaded", 404, /Not found/],
      ] as const) {
        const res = await app.get(name);
        expect(res.status).toBe(status);
        expect(res.headers.get("cache-control")).toBe("no-store");
        expect(await res.text()).toMatch(text);
      }
    } finally {
      await app.close();
    }
  });

  test("answers 503 with Retry-After when the gate cannot decide (fail closed)", async () => {
    await register("outage", { cleared: true });
    const unreachable = new Vergewis({
      apiKey: "vgw_live_x",
      baseUrl: `http://127.0.0.1:${await closedPort()}`,
      retries: 0,
    });
    const app = await serve(createGate({ client: unreachable }));
    try {
      const res = await app.get("outage");
      expect(res.status).toBe(503);
      expect(res.headers.get("retry-after")).toBe("30");
    } finally {
      await app.close();
    }
  });

  test("while the server cannot be asked, serves content only for one kept receipt per person depicted", async () => {
    const platform = await TestPlatform.create(server, "Middleware offline");
    const { publication, receipts } = await consentedPublication(server, platform, { slots: 2 });
    catalogue.set("duo", publication.contentFingerprints[0]!);
    let kept: string[] = [];
    const gate = createGate({
      client: new Vergewis({ apiKey: platform.apiKey, baseUrl: `http://127.0.0.1:${await closedPort()}`, retries: 0 }),
      offline: {
        receipts: () => kept,
        jwks: (await (await fetch(`${server.url}/.well-known/jwks.json`)).json()) as { keys: [] },
        issuer: server.url,
        platformId: platform.id,
      },
    });
    const app = await serve(gate);
    try {
      kept = [receipts[0]!];
      const partial = await app.get("duo");
      expect(partial.status).toBe(503);
      expect(partial.headers.get("retry-after")).toBe("30");
      expect(await gate(targetFor("duo")!)).toMatchObject({ allowed: false, offlineRefusal: "incomplete" });

      kept = [...receipts];
      const complete = await app.get("duo");
      expect(complete.status).toBe(200);
      expect(await complete.json()).toEqual({ serving: true, decision: { reason: "cleared", source: "offline" } });
    } finally {
      await app.close();
    }
  });

  test("a custom onDenied answers instead", async () => {
    await register("custom");
    const app = await serve(createGate({ client: vergewis }), {
      onDenied: (decision, _req, res) => {
        res.status(denialStatus(decision)).json({ denied: decision.reason });
      },
    });
    try {
      const res = await app.get("custom");
      expect(res.status).toBe(403);
      expect(await res.json()).toEqual({ denied: "pending" });
    } finally {
      await app.close();
    }
  });

  test("passes errors the gate throws to Express's error handling", async () => {
    await register("misconfigured", { cleared: true });
    const wrongKey = new Vergewis({ apiKey: `vgw_live_${"C".repeat(43)}`, baseUrl: server.url });
    const app = await serve(createGate({ client: wrongKey, failClosed: false }));
    try {
      const res = await app.get("misconfigured");
      expect(res.status).toBe(500);
      expect(await res.json()).toEqual({ error: "AuthenticationError" });
    } finally {
      await app.close();
    }
  });

  test("refuses to be built without a gate and a target", () => {
    expect(() => requireConsent({} as never)).toThrow(TypeError);
  });
});

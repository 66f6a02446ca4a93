import { randomBytes } from "node:crypto";
import { Writable } from "node:stream";
import { afterAll, beforeAll, expect, test } from "vitest";
import { loadConfig } from "../../packages/server/src/config/load.ts";
import { createDb, type Db } from "../../packages/server/src/db/client.ts";
import { createLogger } from "../../packages/server/src/log.ts";
import { createPlatform } from "../../packages/server/src/platform/create.ts";
import type { DatabaseHandle } from "../../packages/server/src/runtime/database.ts";
import { startServer, type RunningServer } from "../../packages/server/src/runtime/start.ts";
import { auditorToken } from "../support/audit.ts";
import { createTestDatabase } from "../support/database.ts";
import { bearer, publicationRequest } from "../support/fixtures.ts";
import { eventually, startReceiver, type Receiver } from "../support/receiver.ts";
import { startRestartableDatabase, type RestartableDatabase } from "../support/restartable-database.ts";
import { clearedPublication, revoke, subscribe } from "../support/takedown.ts";
import { startTcpProxy, type TcpProxy } from "../support/tcp-proxy.ts";

// PostgreSQL goes away for 30 seconds under running servers, in the two ways it can: stopped
// (connections refused) and cut off by a network partition (packets go nowhere, nothing is
// refused). Both outages run at once. Meanwhile every request that needs the database is answered
// promptly with 503 problem+json, /readyz fails and /healthz (liveness) does not; when the
// database is back each server serves again by itself, worker included.

const OUTAGE_MS = 30_000;
const NO_SUCH_TAKEDOWN = "01900000-0000-7000-8000-000000000000";
let stopped: RestartableDatabase;
let partitioned: DatabaseHandle;
let proxy: TcpProxy;
let rx: Receiver;
const closers: Array<() => Promise<void>> = [];

interface Running {
  server: RunningServer;
  db: Db;
  logs: Array<Record<string, unknown>>;
}

async function serve(url: string): Promise<Running> {
  const config = loadConfig(
    {},
    {
      mode: "test",
      dataDir: "/nonexistent",
      secret: randomBytes(32).toString("base64url"),
      logLevel: "info",
      http: { host: "127.0.0.1", port: 0 },
      worker: { pollInterval: "100ms" },
      webhooks: { timeout: "1s", retryInitialDelay: "200ms", retryMaxDelay: "1s" },
    },
  );
  const logs: Array<Record<string, unknown>> = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString().split("\n")) if (line) logs.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  const database = { url, poolSize: 5, embedded: false, close: async () => {} };
  const server = await startServer(config, { database, migrate: false, log: createLogger(config, sink) });
  const db = createDb(url, 1);
  closers.push(async () => {
    await server.close();
    await db.$disconnect();
  });
  return { server, db, logs };
}

beforeAll(async () => {
  [stopped, partitioned, rx] = await Promise.all([startRestartableDatabase(), createTestDatabase(), startReceiver()]);
  const direct = new URL(partitioned.url);
  proxy = await startTcpProxy({ host: direct.hostname, port: Number(direct.port) });
});
afterAll(async () => {
  proxy?.thaw();
  for (const close of closers) await close();
  await proxy?.close();
  await stopped?.close();
  await partitioned?.close();
  await rx?.close();
});

/** Requests a client makes; each must get an answer during the outage, not hang. */
async function probesFor({ server, db }: Running) {
  const { apiKey, id: platformId } = await createPlatform(db, { name: "Outage" });
  await subscribe(server.url, apiKey, rx);
  const token = await auditorToken(db, null);
  const cookie = (await fetch(`${server.url}/portal/api/session`)).headers.getSetCookie()[0]!.split(";")[0]!;
  const content = await clearedPublication(server.url, db, apiKey);
  expect((await fetch(`${server.url}/readyz`)).status).toBe(200);
  const at =
    (path: string, init: RequestInit = {}) =>
    () =>
      fetch(`${server.url}${path}`, { ...init, signal: AbortSignal.timeout(20_000) });
  const json = (body: unknown): RequestInit => ({
    method: "POST",
    headers: { ...bearer(apiKey), "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  return {
    apiKey,
    platformId,
    content,
    json,
    probes: {
      readyz: at("/readyz"),
      "create publication": at("/v1/publications", json(publicationRequest())),
      "list publications": at("/v1/publications", { headers: bearer(apiKey) }),
      check: at("/v1/check", json({ fingerprint: content.fingerprint })),
      acknowledge: at(`/v1/takedowns/${NO_SUCH_TAKEDOWN}/ack`, json({ removedAt: new Date().toISOString() })),
      "portal session": at("/portal/api/session", { headers: { cookie } }),
      "auditor events": at("/v1/audit/events", { headers: bearer(token) }),
    } as Record<string, () => Promise<Response>>,
  };
}

/** Probes `running` round after round and checks liveness every 200 ms until the outage ends. */
async function duringOutage(running: Running, probes: Record<string, () => Promise<Response>>, down: number) {
  const outcomes = new Map<string, Set<string>>();
  let slowestMs = 0;
  let healthChecks = 0;
  const liveness = async () => {
    while (Date.now() - down < OUTAGE_MS) {
      const res = await fetch(`${running.server.url}/healthz`, { signal: AbortSignal.timeout(5_000) });
      expect(res.status).toBe(200);
      healthChecks++;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  };
  const rounds = async () => {
    while (Date.now() - down < OUTAGE_MS) {
      await Promise.all(
        Object.entries(probes).map(async ([name, request]) => {
          const started = Date.now();
          const res = await request().catch((error: Error) => ({ error }));
          slowestMs = Math.max(slowestMs, Date.now() - started);
          const outcome =
            "error" in res
              ? `no answer: ${res.error.name}`
              : `${res.status} ${res.headers.get("content-type")?.split(";")[0]} ${((await res.json()) as { code?: string }).code}`;
          outcomes.set(name, (outcomes.get(name) ?? new Set()).add(outcome));
        }),
      );
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  };
  await Promise.all([liveness(), rounds()]);
  return { outcomes, slowestMs, healthChecks };
}

async function expectRecovered(running: Running, scenario: Awaited<ReturnType<typeof probesFor>>) {
  const { server, db } = running;
  await eventually(async () => ((await fetch(`${server.url}/readyz`)).status === 200 ? true : undefined), 30_000);
  expect((await fetch(`${server.url}/v1/publications`, scenario.json(publicationRequest()))).status).toBe(201);
  await revoke(db, scenario.content.id);
  await eventually(
    async () =>
      (await db.webhookDelivery.findFirst({ where: { platformId: scenario.platformId, status: "delivered" } })) ??
      undefined,
    30_000,
    "a webhook delivered after the outage",
  );
}

test("30 s without PostgreSQL (stopped, partitioned): 503 problem+json at once, /readyz down, /healthz up; then back by itself", async () => {
  const refusing = await serve(stopped.handle.url);
  const stalled = await serve(`postgresql://postgres@${proxy.host}:${proxy.port}${new URL(partitioned.url).pathname}`);
  const [forRefusing, forStalled] = await Promise.all([probesFor(refusing), probesFor(stalled)]);

  stopped.shutdown();
  proxy.freeze();
  const down = Date.now();
  const results = await Promise.all([
    duringOutage(refusing, forRefusing.probes, down),
    duringOutage(stalled, forStalled.probes, down),
  ]);
  stopped.start();
  proxy.thaw();

  for (const [i, { outcomes, healthChecks }] of results.entries()) {
    for (const name of Object.keys(forRefusing.probes))
      expect([...outcomes.get(name)!], `${["stopped", "partitioned"][i]}: ${name}`).toEqual([
        "503 application/problem+json database_unavailable",
      ]);
    expect(healthChecks).toBeGreaterThan(OUTAGE_MS / 1_000);
  }
  for (const { logs } of [refusing, stalled])
    expect(logs.some((l) => (l.res as { statusCode?: number } | undefined)?.statusCode === 503)).toBe(true);
  await Promise.all([expectRecovered(refusing, forRefusing), expectRecovered(stalled, forStalled)]);
  console.info(
    `database down ${OUTAGE_MS / 1000} s: slowest answer ${results[0].slowestMs} ms (stopped), ` +
      `${results[1].slowestMs} ms (partitioned)`,
  );
}, 120_000);

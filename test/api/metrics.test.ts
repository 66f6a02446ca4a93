import fs from "node:fs";
import request from "supertest";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { parse as parseYaml } from "yaml";
import { loadConfig } from "../../packages/server/src/config/load.ts";
import { bearer, hex64, publicationRequest } from "../support/fixtures.ts";
import { startReceiver, type Receiver } from "../support/receiver.ts";
import { startTestServer, type TestServer } from "../support/server.ts";
import { clearedPublication, revoke, subscribe } from "../support/takedown.ts";

const TOKEN = "metrics-token-0123456789abcdef0123456789";
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/;

/** One sample line of the text format: `name{labels} value`. */
interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

function samples(text: string): Sample[] {
  return text
    .split("\n")
    .filter((line) => line && !line.startsWith("#"))
    .map((line) => {
      const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
      if (!match) throw new Error(`not a sample line: ${line}`);
      const labels = Object.fromEntries(
        [...(match[2] ?? "").matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((m) => [m[1], m[2]]),
      );
      return { name: match[1]!, labels, value: Number(match[3]) };
    });
}

const value = (all: Sample[], name: string, labels: Record<string, string> = {}) =>
  all.find((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))?.value;

describe("/metrics behind a token", () => {
  let server: TestServer;
  let rx: Receiver;
  let failing: Receiver;
  const scrape = async () => {
    const res = await request(server.url).get("/metrics").set(bearer(TOKEN)).expect(200);
    expect(res.headers["content-type"]).toMatch(/^text\/plain; version=0\.0\.4/);
    return res.text;
  };

  beforeAll(async () => {
    server = await startTestServer({
      metrics: { token: TOKEN },
      worker: { pollInterval: "50ms" },
      webhooks: { retryInitialDelay: "1h" },
      audit: { checkpointIntervalSeconds: 1 },
    });
    rx = await startReceiver();
    failing = await startReceiver();
    failing.behave(() => ({ status: 503 }));
  });
  afterAll(async () => {
    await server?.close();
    await rx?.close();
    await failing?.close();
  });

  test("refuses a request without the token, or with another, as problem+json 401", async () => {
    for (const headers of [{}, bearer("metrics-token-0123456789abcdef0123456780"), { Authorization: TOKEN }]) {
      const res = await request(server.url).get("/metrics").set(headers).expect(401);
      expect(res.headers["content-type"]).toMatch(/^application\/problem\+json/);
      expect(res.body).toMatchObject({ status: 401, code: "unauthenticated" });
      expect(res.headers["www-authenticate"]).toMatch(/^Bearer /);
      expect(res.text).not.toContain("vergewis_");
    }
  });

  test("under a few hundred real requests: durations by route pattern and status, never by URL", async () => {
    const { apiKey } = await server.createPlatform("Load");
    const ids: string[] = [];
    for (let i = 0; i < 10; i++) {
      const res = await request(server.url)
        .post("/v1/publications")
        .set(bearer(apiKey))
        .send(publicationRequest())
        .expect(201);
      ids.push(res.body.id);
    }
    const before = samples(await scrape());
    const count = (route: string, status: string, all: Sample[]) =>
      value(all, "vergewis_http_request_duration_seconds_count", { method: "GET", route, status }) ?? 0;

    // 300 requests, 20 at a time, with scrapes in between: reads by id, unknown ids, unknown paths.
    const scrapes: string[] = [];
    for (let round = 0; round < 15; round++) {
      const batch = Array.from({ length: 20 }, (_, i) => {
        const n = round * 20 + i;
        if (n % 3 === 0) return request(server.url).get(`/v1/publications/${crypto.randomUUID()}`).set(bearer(apiKey));
        if (n % 3 === 1) return request(server.url).get(`/no/such/path/${n}`);
        return request(server.url)
          .get(`/v1/publications/${ids[n % ids.length]}`)
          .set(bearer(apiKey));
      });
      const [text, ...responses] = await Promise.all([scrape(), ...batch]);
      scrapes.push(text);
      expect(responses.every((r) => r.status === 200 || r.status === 404)).toBe(true);
    }
    const after = samples(await scrape());
    expect(count("/v1/publications/:id", "200", after) - count("/v1/publications/:id", "200", before)).toBe(100);
    expect(count("/v1/publications/:id", "404", after) - count("/v1/publications/:id", "404", before)).toBe(100);
    expect(
      (value(after, "vergewis_http_request_duration_seconds_count", {
        method: "GET",
        route: "unmatched",
        status: "404",
      }) ?? 0) -
        (value(before, "vergewis_http_request_duration_seconds_count", {
          method: "GET",
          route: "unmatched",
          status: "404",
        }) ?? 0),
    ).toBe(100);
    // A route mounted under a prefix keeps its prefix; no label carries an id or a raw path.
    expect(count("/metrics", "200", after)).toBeGreaterThanOrEqual(16);
    const routes = new Set(after.filter((s) => s.labels.route).map((s) => s.labels.route!));
    expect([...routes].filter((r) => UUID.test(r) || r.startsWith("/no/"))).toEqual([]);
    expect(routes).toContain("/v1/publications");
    expect(scrapes.every((text) => text.includes("vergewis_http_request_duration_seconds_bucket"))).toBe(true);
  }, 180_000);

  test("outbox, webhook outcomes, takedowns and reports per platform, the log, the pool, the process", async () => {
    const quick = await server.createPlatform("Quick");
    const slow = await server.createPlatform("Slow");
    await server.ctx.db.platform.update({ where: { id: slow.id }, data: { slaSeconds: 1 } });
    await subscribe(server.url, quick.apiKey, rx);
    await subscribe(server.url, slow.apiKey, failing);

    const quickContent = await clearedPublication(server.url, server.ctx.db, quick.apiKey);
    const slowContent = await clearedPublication(server.url, server.ctx.db, slow.apiKey);
    await revoke(server.ctx.db, quickContent.id);
    await revoke(server.ctx.db, slowContent.id);
    await request(server.url)
      .post("/v1/reports")
      .send({
        category: "no_consent",
        fingerprint: slowContent.fingerprint,
        description: "Published without my consent.",
      })
      .expect(202);
    await rx.waitFor((r) => r.received.length >= 1, 10_000, "a delivered webhook");
    await failing.waitFor((r) => r.received.length >= 1, 10_000, "a refused webhook");
    // A statement that fails in the database itself.
    await expect(server.ctx.db.$queryRaw`SELECT 1 / 0`).rejects.toThrow();

    let all: Sample[] = [];
    await expect
      .poll(
        async () => {
          all = samples(await scrape());
          return [
            value(all, "vergewis_takedowns_overdue", { platform: slow.id }),
            value(all, "vergewis_webhook_attempts_total", { outcome: "delivered" })! > 0,
            value(all, "vergewis_webhook_attempts_total", { outcome: "retrying" })! > 0,
          ];
        },
        { timeout: 10_000, interval: 200 },
      )
      .toEqual([1, true, true]);

    expect(value(all, "vergewis_takedowns_open", { platform: slow.id })).toBe(1);
    expect(value(all, "vergewis_takedowns_open", { platform: quick.id })).toBe(1);
    expect(value(all, "vergewis_takedowns_overdue", { platform: quick.id })).toBe(0);
    expect(value(all, "vergewis_reports_open", { platform: slow.id })).toBe(1);
    expect(value(all, "vergewis_reports_open", { platform: quick.id })).toBeUndefined();

    // The refused deliveries wait for their retry, an hour away: the outbox holds them (and the
    // SLA clock may queue more overdue notices meanwhile).
    const undelivered = () =>
      server.ctx.db.webhookDelivery.count({ where: { status: { in: ["pending", "retrying"] } } });
    const waitingBefore = await undelivered();
    const entriesBefore = await server.ctx.db.auditEvent.count();
    all = samples(await scrape());
    const waitingAfter = await undelivered();
    const entriesAfter = await server.ctx.db.auditEvent.count();
    expect(waitingBefore).toBeGreaterThan(0);
    expect(value(all, "vergewis_outbox_pending_deliveries")).toBeGreaterThanOrEqual(waitingBefore);
    expect(value(all, "vergewis_outbox_pending_deliveries")).toBeLessThanOrEqual(waitingAfter);
    expect(value(all, "vergewis_outbox_oldest_pending_age_seconds")).toBeGreaterThan(0);
    expect(value(all, "vergewis_webhook_attempt_duration_seconds_count", { outcome: "delivered" })).toBeGreaterThan(0);
    expect(value(all, "vergewis_webhook_attempt_duration_seconds_count", { outcome: "retrying" })).toBeGreaterThan(0);

    // The SLA clock may log overdue notices while the scrape runs: the gauge lies between.
    expect(value(all, "vergewis_audit_log_entries")).toBeGreaterThanOrEqual(entriesBefore);
    expect(value(all, "vergewis_audit_log_entries")).toBeLessThanOrEqual(entriesAfter);
    expect(value(all, "vergewis_audit_checkpoint_tree_size")).toBeGreaterThan(0);
    expect(value(all, "vergewis_audit_checkpoint_age_seconds")).toBeGreaterThanOrEqual(0);
    expect(value(all, "vergewis_metrics_database_up")).toBe(1);

    // The embedded database has one connection; a PostgreSQL pool more.
    const max = value(all, "vergewis_db_pool_connections", { state: "max" })!;
    const open =
      value(all, "vergewis_db_pool_connections", { state: "idle" })! +
      value(all, "vergewis_db_pool_connections", { state: "in_use" })!;
    expect(max).toBeGreaterThanOrEqual(1);
    expect(open).toBeGreaterThanOrEqual(1);
    expect(open).toBeLessThanOrEqual(max);
    expect(value(all, "vergewis_db_pool_waiting")).toBeGreaterThanOrEqual(0);
    expect(value(all, "vergewis_db_query_errors_total", { code: "22012" })).toBeGreaterThanOrEqual(1);
    expect(value(all, "process_resident_memory_bytes")).toBeGreaterThan(0);
    expect(value(all, "nodejs_heap_size_used_bytes")).toBeGreaterThan(0);
  });

  test("every metric that docs/prometheus-rules.yml names is served", async () => {
    const rules = parseYaml(fs.readFileSync("docs/prometheus-rules.yml", "utf8")) as {
      groups: Array<{ rules: Array<{ alert: string; expr: string }> }>;
    };
    const exprs = rules.groups.flatMap((g) => g.rules.map((r) => r.expr));
    expect(exprs.length).toBeGreaterThanOrEqual(3);
    const served = new Set(samples(await scrape()).map((s) => s.name));
    const named = new Set(exprs.flatMap(metricNames));
    expect([...named].filter((name) => !served.has(name))).toEqual([]);
    // The alerts the operator's guide promises: a stuck outbox, an overdue takedown, stalled checkpoints.
    for (const name of [
      "vergewis_outbox_oldest_pending_age_seconds",
      "vergewis_takedowns_overdue",
      "vergewis_audit_checkpoint_age_seconds",
    ])
      expect(named).toContain(name);
  });
});

/**
 * The metric names in a PromQL expression: identifiers left after removing strings, label
 * matchers and groupings, range selectors, numbers, function calls and keywords.
 */
function metricNames(expr: string): string[] {
  const keywords = new Set([
    "and",
    "or",
    "unless",
    "by",
    "without",
    "on",
    "ignoring",
    "group_left",
    "group_right",
    "bool",
    "offset",
  ]);
  const stripped = expr
    .replace(/"(?:[^"\\]|\\.)*"/g, "")
    .replace(/\{[^}]*\}/g, "")
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, "")
    .replace(/\[[^\]]*\]/g, "")
    .replace(/\b\d+(\.\d+)?(e\d+)?\b/g, "");
  return [...stripped.matchAll(/([a-zA-Z_:][a-zA-Z0-9_:]*)(\s*\()?/g)]
    .filter((m) => !m[2] && !keywords.has(m[1]!))
    .map((m) => m[1]!);
}

describe("/metrics on a listener of its own", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ metrics: { port: 0 } });
  });
  afterAll(async () => {
    await server?.close();
  });

  test("serves the metrics there, on loopback, and only them; the main listener does not", async () => {
    expect(server.metricsUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
    const url = new URL(server.metricsUrl!);
    const res = await request(url.origin).get("/metrics").expect(200);
    expect(value(samples(res.text), "vergewis_metrics_database_up")).toBe(1);
    const other = await request(url.origin).get("/v1/publications").expect(404);
    expect(other.headers["content-type"]).toMatch(/^application\/problem\+json/);
    const main = await request(server.url).get("/metrics").expect(404);
    expect(main.headers["content-type"]).toMatch(/^application\/problem\+json/);
  });
});

describe("by default", () => {
  test("neither a token nor a listener: /metrics is not served", async () => {
    const config = loadConfig({}, {});
    expect(config.metrics).toEqual({ host: "127.0.0.1" });
    const server = await startTestServer();
    try {
      expect(server.metricsUrl).toBeUndefined();
      const res = await request(server.url).get("/metrics").set(bearer(TOKEN)).expect(404);
      expect(res.body).toMatchObject({ code: "not_found" });
    } finally {
      await server.close();
    }
  });

  test("a token shorter than 32 characters is refused, naming its variable", () => {
    expect(() => loadConfig({ metrics: { token: "short" } })).toThrow(/VERGEWIS_METRICS_TOKEN/);
  });
});

import request from "supertest";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { auditMetricsSchema, type AuditEvent } from "@vergewis/sdk";
import type { MonthlyReport } from "../../packages/server/src/audit-metrics/monthly.ts";
import { acknowledge, auditorToken, clearedPublication, parseCsv, takedown } from "../support/audit.ts";
import { bearer } from "../support/fixtures.ts";
import { eventually } from "../support/receiver.ts";
import { startTestServer, type TestServer } from "../support/server.ts";

let server: TestServer;
let alpha: { id: string; apiKey: string };
let beta: { id: string; apiKey: string };
const tokens = { all: "", alpha: "" };
const takedowns: Record<
  "met" | "late" | "open" | "overdue",
  { takedownId: string; requested: AuditEvent; acknowledged?: AuditEvent }
> = {} as never;

const api = () => request(server.url);
const get = (path: string, token = tokens.all) => api().get(path).set(bearer(token));
const month = () => new Date().toISOString().slice(0, 7);

async function requestedEntry(takedownId: string): Promise<AuditEvent> {
  const res = await get("/v1/audit/events?type=takedown.requested&limit=1000").expect(200);
  return (res.body.items as AuditEvent[]).find((e) => e.data.takedownId === takedownId)!;
}

/** A takedown whose removal the platform reports `seconds` after the request (not at all: undefined). */
async function scenario(platform: { apiKey: string }, seconds: number | undefined) {
  const publication = await clearedPublication(server.ctx.db, server.url, platform.apiKey);
  const { takedownId } = await takedown(server.ctx.db, publication.id);
  const requested = await requestedEntry(takedownId);
  if (seconds === undefined) return { takedownId, requested };
  await acknowledge(server.ctx.db, takedownId, new Date(Date.parse(requested.time) + seconds * 1000));
  const acks = (await get("/v1/audit/events?type=takedown.acknowledged&limit=1000").expect(200)).body
    .items as AuditEvent[];
  return { takedownId, requested, acknowledged: acks.find((e) => e.data.takedownId === takedownId)! };
}

beforeAll(async () => {
  server = await startTestServer();
  alpha = await server.createPlatform("Alpha", 60);
  beta = await server.createPlatform("Beta", 60);
  tokens.all = await auditorToken(server.ctx.db, null);
  tokens.alpha = await auditorToken(server.ctx.db, alpha.id);
  takedowns.met = await scenario(alpha, 600);
  takedowns.late = await scenario(alpha, 5400);
  takedowns.open = await scenario(alpha, undefined);
  // Beta's deadline is the moment of the request: its open takedown is overdue at once.
  await server.ctx.db.platform.update({ where: { id: beta.id }, data: { slaSeconds: 0 } });
  takedowns.overdue = await scenario(beta, undefined);
});
afterAll(() => server?.close());

describe("GET /v1/audit/metrics", () => {
  test("takedown latency, SLA and daily counts, from the log", async () => {
    const before = await server.ctx.db.auditEvent.count();
    const metrics = auditMetricsSchema.parse((await get("/v1/audit/metrics", tokens.alpha).expect(200)).body);
    expect(metrics.platformId).toBe(alpha.id);
    expect(metrics.totals).toEqual({
      publications: 3,
      consents: 3,
      declines: 0,
      revocations: 3,
      reports: 0,
      takedownsRequested: 3,
      takedownsCompleted: 2,
    });
    expect(metrics.takedowns.latencySeconds).toEqual({
      count: 2,
      p50: 600,
      p90: 5400,
      p95: 5400,
      p99: 5400,
      max: 5400,
    });
    expect(metrics.takedowns.sla).toEqual({ met: 1, breached: 1, pending: 1, compliance: 0.5 });
    expect(metrics.daily).toHaveLength(31);
    const today = metrics.daily.find((d) => d.date === new Date().toISOString().slice(0, 10))!;
    expect(today).toMatchObject({
      takedownsRequested: 3,
      slaMet: 1,
      slaBreached: 1,
      latencyP50Seconds: 600,
      latencyP95Seconds: 5400,
      consents: 3,
    });
    expect(
      metrics.daily.filter((d) => d !== today).every((d) => d.takedownsRequested === 0 && d.latencyP50Seconds === null),
    ).toBe(true);
    // Beta's overdue takedown keeps escalating: entries may land while the metrics are computed.
    expect(metrics.treeSize).toBeGreaterThanOrEqual(before);
    expect(metrics.treeSize).toBeLessThanOrEqual(await server.ctx.db.auditEvent.count());
  });

  test("an unacknowledged takedown past its deadline is a breach", async () => {
    const metrics = auditMetricsSchema.parse((await get(`/v1/audit/metrics?platform=${beta.id}`).expect(200)).body);
    expect(metrics.takedowns.sla).toEqual({ met: 0, breached: 1, pending: 0, compliance: 0 });
    const all = auditMetricsSchema.parse((await get("/v1/audit/metrics").expect(200)).body);
    expect(all.takedowns.sla).toEqual({ met: 1, breached: 2, pending: 1, compliance: 1 / 3 });
  });

  test("a period without events has no figures, not zeros that look measured", async () => {
    const metrics = auditMetricsSchema.parse(
      (await get("/v1/audit/metrics?from=2020-01-01T00:00:00Z&to=2020-01-08T00:00:00Z").expect(200)).body,
    );
    expect(metrics.daily.map((d) => d.date)).toEqual([
      "2020-01-01",
      "2020-01-02",
      "2020-01-03",
      "2020-01-04",
      "2020-01-05",
      "2020-01-06",
      "2020-01-07",
    ]);
    expect(metrics.takedowns.latencySeconds.p50).toBeNull();
    expect(metrics.takedowns.sla.compliance).toBeNull();
  });

  test.each([
    ["from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z", "/query/from"],
    ["from=2020-01-01T00:00:00Z&to=2022-01-01T00:00:00Z", "/query/from"],
    ["from=monday", "/query/from"],
    ["platform=x", "/query/platform"],
    ["days=3", "/query/days"],
  ])("refuses ?%s (400, %s)", async (query, pointer) => {
    const res = await get(`/v1/audit/metrics?${query}`).expect(400);
    expect(res.body.errors.map((e: { pointer: string }) => e.pointer)).toContain(pointer);
  });
});

describe("GET /v1/audit/reports/monthly", () => {
  const report = async (query = "", token = tokens.all) =>
    (
      await get(`/v1/audit/reports/monthly?platform=${alpha.id}&month=${month()}&format=json${query}`, token).expect(
        200,
      )
    ).body as MonthlyReport;

  test("every figure, with the log entries it is computed from", async () => {
    const before = await server.ctx.db.auditEvent.count();
    const r = await report();
    const figure = (key: string) => r.figures.find((f) => f.key === key)!;
    const { met, late, open } = takedowns;
    expect(figure("takedownsRequested")).toEqual({
      key: "takedownsRequested",
      value: 3,
      unit: "count",
      sources: [met.requested.index, late.requested.index, open.requested.index],
    });
    expect(figure("takedownsCompleted").sources).toEqual([met.acknowledged!.index, late.acknowledged!.index]);
    expect(figure("removalTimeMedian")).toMatchObject({
      value: 600,
      unit: "seconds",
      sources: [met.requested.index, met.acknowledged!.index],
    });
    expect(figure("removalTimeP95")).toMatchObject({
      value: 5400,
      sources: [late.requested.index, late.acknowledged!.index],
    });
    expect(figure("slaBreached")).toMatchObject({ value: 1, sources: [late.requested.index] });
    expect(figure("slaPending")).toMatchObject({ value: 1, sources: [open.requested.index] });
    expect(figure("slaCompliance")).toMatchObject({ value: 0.5, unit: "ratio" });
    expect(figure("consents").value).toBe(3);
    expect(figure("revocations").value).toBe(3);
    expect(r.takedowns.map((t) => [t.takedownId, t.sla, t.latencySeconds])).toEqual([
      [met.takedownId, "met", 600],
      [late.takedownId, "breached", 5400],
      [open.takedownId, "pending", null],
    ]);
    expect(r.checkpoint.treeSize).toBeGreaterThanOrEqual(before);
    expect(r.checkpoint.treeSize).toBeLessThanOrEqual(await server.ctx.db.auditEvent.count());
  });

  test("each source is a log entry of the kind the figure counts", async () => {
    const r = await report();
    const expected: Record<string, string[]> = {
      publications: ["publication.requested"],
      consents: ["consent.signed"],
      revocations: ["consent.revoked"],
      takedownsRequested: ["takedown.requested"],
      takedownsCompleted: ["takedown.acknowledged"],
      removalTimeMedian: ["takedown.requested", "takedown.acknowledged"],
      slaBreached: ["takedown.requested"],
    };
    for (const [key, types] of Object.entries(expected)) {
      const sources = r.figures.find((f) => f.key === key)!.sources;
      const found = await Promise.all(
        sources.map(async (i) => (await get(`/v1/audit/events/${i}`, tokens.alpha).expect(200)).body.type),
      );
      expect(new Set(found), key).toEqual(new Set(types));
      expect(found.length, key).toBe(sources.length);
    }
  });

  test("as CSV: one table of figures and takedowns with their log indexes", async () => {
    const res = await get(`/v1/audit/reports/monthly?platform=${alpha.id}&month=${month()}&format=csv`).expect(200);
    expect(res.headers["content-type"]).toMatch(/^text\/csv/);
    expect(res.headers["content-disposition"]).toContain(`vergewis-report-${alpha.id}-${month()}.csv`);
    const rows = parseCsv(res.text);
    expect(rows[0]).toEqual([
      "record",
      "name",
      "value",
      "unit",
      "requested_at",
      "due_at",
      "removed_at",
      "sla",
      "log_indexes",
    ]);
    expect(rows.find((r) => r[1] === "removalTimeMedian")).toEqual([
      "figure",
      "removalTimeMedian",
      "600",
      "seconds",
      "",
      "",
      "",
      "",
      `${takedowns.met.requested.index} ${takedowns.met.acknowledged!.index}`,
    ]);
    expect(rows.filter((r) => r[0] === "takedown").map((r) => r[7])).toEqual(["met", "breached", "pending"]);
  });

  test("as HTML: a self-contained document in Dutch or English under a strict CSP", async () => {
    const nl = await api()
      .get(`/v1/audit/reports/monthly?platform=${alpha.id}&month=${month()}`)
      .set(bearer(tokens.all))
      .set("Accept-Language", "nl-NL,nl;q=0.9")
      .expect(200);
    expect(nl.headers["content-type"]).toMatch(/^text\/html/);
    expect(nl.text).toContain("Maandelijks nalevingsrapport");
    expect(nl.text).toContain("SLA-schendingen");
    expect(nl.text).not.toMatch(/<script/i);
    expect(nl.headers["content-security-policy"]).toMatch(/^default-src 'none'; style-src 'sha256-[A-Za-z0-9+/]+=';/);
    const en = await get(`/v1/audit/reports/monthly?platform=${alpha.id}&month=${month()}&format=html&lang=en`).expect(
      200,
    );
    expect(en.text).toContain("SLA breaches");
    expect(en.text).toContain("Alpha");
  });

  test.each([
    ["month=2026-13", "/query/month"],
    ["month=26-01", "/query/month"],
    ["format=pdf", "/query/format"],
    ["lang=de", "/query/lang"],
  ])("refuses %s (400, %s)", async (query, pointer) => {
    const res = await get(`/v1/audit/reports/monthly?platform=${alpha.id}&month=2026-01&${query}`).expect(400);
    expect(res.body.errors.map((e: { pointer: string }) => e.pointer)).toContain(pointer);
  });

  test("needs a platform (400), an existing one (404), in scope (403)", async () => {
    expect((await get(`/v1/audit/reports/monthly?month=2026-01`).expect(400)).body.errors[0].pointer).toBe(
      "/query/platform",
    );
    await get(`/v1/audit/reports/monthly?platform=01900000-0000-7000-8000-000000000000&month=2026-01`).expect(404);
    await get(`/v1/audit/reports/monthly?platform=${beta.id}&month=2026-01`, tokens.alpha).expect(403);
  });

  test("a month without events reports zeros and no times", async () => {
    const r = (await get(`/v1/audit/reports/monthly?platform=${alpha.id}&month=2020-02&format=json`).expect(200))
      .body as MonthlyReport;
    expect(r.from).toBe("2020-02-01T00:00:00.000Z");
    expect(r.to).toBe("2020-03-01T00:00:00.000Z");
    expect(r.figures.find((f) => f.key === "takedownsRequested")).toMatchObject({ value: 0, sources: [] });
    expect(r.figures.find((f) => f.key === "removalTimeMedian")).toMatchObject({ value: null, sources: [] });
  });
});

describe("an acknowledgement that arrives after the deadline", () => {
  test("is a breach with a positive latency, even when it says the content went offline at the request", async () => {
    const gamma = await server.createPlatform("Gamma", 60);
    // A deadline at the moment of the request: any acknowledgement arrives late.
    await server.ctx.db.platform.update({ where: { id: gamma.id }, data: { slaSeconds: 0 } });
    const publication = await clearedPublication(server.ctx.db, server.url, gamma.apiKey);
    const { takedownId } = await takedown(server.ctx.db, publication.id);
    const { requestedAt, dueAt } = await server.ctx.db.takedown.findUniqueOrThrow({ where: { id: takedownId } });
    await eventually(async () => Date.now() > dueAt.getTime() || undefined);
    await api()
      .post(`/v1/takedowns/${takedownId}/ack`)
      .set(bearer(gamma.apiKey))
      .send({ removedAt: requestedAt.toISOString() })
      .expect(200);
    const metrics = auditMetricsSchema.parse((await get(`/v1/audit/metrics?platform=${gamma.id}`).expect(200)).body);
    expect(metrics.takedowns.sla).toEqual({ met: 0, breached: 1, pending: 0, compliance: 0 });
    expect(metrics.takedowns.latencySeconds.count).toBe(1);
    expect(metrics.takedowns.latencySeconds.max).toBeGreaterThan(0);
    const r = (await get(`/v1/audit/reports/monthly?platform=${gamma.id}&month=${month()}&format=json`).expect(200))
      .body as MonthlyReport;
    expect(r.takedowns).toEqual([
      expect.objectContaining({ takedownId, sla: "breached", removedAt: requestedAt.toISOString() }),
    ]);
    expect(r.takedowns[0]!.latencySeconds).toBeGreaterThan(0);
  });
});

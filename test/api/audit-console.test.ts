import request from "supertest";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { revokeAuditorToken } from "../../packages/server/src/audit/auditor-token.ts";
import { sessionValue } from "../../packages/server/src/console/session.ts";
import { acknowledge, auditorToken, clearedPublication, publish, takedown } from "../support/audit.ts";
import { startTestServer, type TestServer } from "../support/server.ts";

let server: TestServer;
let alpha: { id: string; apiKey: string };
let beta: { id: string; apiKey: string };
const tokens = { all: "", alpha: "" };

beforeAll(async () => {
  server = await startTestServer();
  alpha = await server.createPlatform("Alpha <b>bold</b>");
  beta = await server.createPlatform("Beta");
  tokens.all = await auditorToken(server.ctx.db, null);
  tokens.alpha = await auditorToken(server.ctx.db, alpha.id);
  await publish(server.url, alpha.apiKey);
  await server.ctx.db.platform.update({ where: { id: beta.id }, data: { slaSeconds: 0 } });
  const overdue = await clearedPublication(server.ctx.db, server.url, beta.apiKey);
  await takedown(server.ctx.db, overdue.id);
});
afterAll(() => server?.close());

async function signIn(token: string) {
  const agent = request.agent(server.url);
  const res = await agent.post("/audit/login").type("form").send({ token }).expect(303);
  expect(res.headers.location).toBe("/audit");
  return { agent, cookie: res.headers["set-cookie"]![0]! };
}

describe("sign-in", () => {
  test("pages need a session: to the sign-in form", async () => {
    for (const path of ["/audit", "/audit/events", "/audit/events/0", "/audit/reports", "/audit/export"]) {
      const res = await request(server.url).get(path).expect(303);
      expect(res.headers.location, path).toBe("/audit/login");
    }
  });

  test("the sign-in form is plain HTML under the strict CSP", async () => {
    const res = await request(server.url).get("/audit/login").expect(200);
    expect(res.headers["content-type"]).toMatch(/^text\/html/);
    expect(res.headers["content-security-policy"]).toContain("script-src 'self'");
    expect(res.headers["content-security-policy"]).not.toContain("unsafe-inline");
    expect(res.headers["cache-control"]).toBe("no-store");
    expect(res.text).toContain('name="token" type="password"');
    expect(res.text).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
  });

  test("a valid token opens a session: an HttpOnly, SameSite=Strict cookie that does not hold the token", async () => {
    const { cookie } = await signIn(tokens.all);
    expect(cookie).toMatch(/^vgw_audit_session=[^;]+; Path=\/audit; Max-Age=28800; HttpOnly; SameSite=Strict$/);
    expect(cookie).not.toContain(tokens.all.slice(10));
  });

  test.each([
    ["an unknown token", `vgw_audit_${"B".repeat(43)}`],
    ["garbage", "<script>"],
    ["nothing", ""],
  ])("refuses %s (401) and sets no cookie", async (_what, token) => {
    const res = await request(server.url).post("/audit/login").type("form").send({ token }).expect(401);
    expect(res.text).toContain("This token is not valid, or it was revoked.");
    expect(res.headers["set-cookie"]).toBeUndefined();
  });

  test("refuses a sign-in or sign-out posted from another site (403)", async () => {
    const res = await request(server.url)
      .post("/audit/login")
      .set("Origin", "https://evil.example")
      .type("form")
      .send({ token: tokens.all })
      .expect(403);
    expect(res.headers["set-cookie"]).toBeUndefined();
    await request(server.url)
      .post("/audit/login")
      .set("Sec-Fetch-Site", "cross-site")
      .type("form")
      .send({ token: tokens.all })
      .expect(403);
    const { agent } = await signIn(tokens.all);
    await agent.post("/audit/logout").set("Origin", "https://evil.example").expect(403);
    await agent.post("/audit/logout").set("Sec-Fetch-Site", "same-site").expect(403);
    await agent.get("/audit").expect(200);
  });

  test("a forged, tampered or expired session is no session", async () => {
    const { cookie } = await signIn(tokens.all);
    const value = cookie.split(";")[0]!.split("=")[1]!;
    const row = await server.ctx.db.auditorToken.findFirstOrThrow({ where: { platformId: null } });
    for (const forged of [
      value.replace(/.$/, (c) => (c === "A" ? "B" : "A")),
      `${row.id}.9999999999.${"A".repeat(43)}`,
      sessionValue(server.ctx.secret, row.id, Date.now() - 9 * 3600_000),
      sessionValue(Buffer.from("another secret"), row.id),
    ]) {
      const res = await request(server.url).get("/audit").set("Cookie", `vgw_audit_session=${forged}`).expect(303);
      expect(res.headers.location).toBe("/audit/login");
    }
  });

  test("revoking the token ends its sessions at once; signing out ends the session", async () => {
    const token = await auditorToken(server.ctx.db, alpha.id);
    const { agent } = await signIn(token);
    await agent.get("/audit").expect(200);
    await revokeAuditorToken(server.ctx.db, token.slice(0, 18));
    await agent.get("/audit").expect(303);
    const other = await signIn(tokens.all);
    const out = await other.agent.post("/audit/logout").expect(303);
    expect(out.headers["set-cookie"]![0]).toMatch(/^vgw_audit_session=; Path=\/audit; Max-Age=0/);
  });
});

describe("sign-in attempts", () => {
  test("are limited per client: the 31st within a minute is refused (429)", async () => {
    const limited = await startTestServer();
    try {
      const attempt = () => request(limited.url).post("/audit/login").type("form").send({ token: "wrong" });
      for (let i = 0; i < 30; i++) await attempt().expect(401);
      const res = await attempt().expect(429);
      expect(res.text).toContain("Too many sign-in attempts");
    } finally {
      await limited.close();
    }
  });
});

describe("pages", () => {
  test("the dashboard: figures, chart data, overdue takedowns, the checkpoint", async () => {
    const { agent } = await signIn(tokens.all);
    const res = await agent.get("/audit").expect(200);
    expect(res.text).toContain('id="chart-latency"');
    expect(res.text).toContain('id="chart-sla"');
    expect(res.text).toContain('<script type="application/json" id="metrics-data">');
    expect(res.text).toContain('src="/assets/vendor/uplot.js"');
    expect(res.text).toContain('id="overdue"');
    expect(res.text).toContain("Scope: all platforms");
    expect(res.text).toContain((await server.ctx.logSigner.key()).verifierKey);
    const data = JSON.parse(/id="metrics-data">(.*?)<\/script>/s.exec(res.text)![1]!) as { daily: unknown[] };
    expect(data.daily).toHaveLength(31);
  });

  test("sub-second takedowns: in ms, on a chart in ms", async () => {
    const fast = await server.createPlatform("Fast");
    for (const ms of [250, 400]) {
      const publication = await clearedPublication(server.ctx.db, server.url, fast.apiKey);
      const { takedownId } = await takedown(server.ctx.db, publication.id);
      const requested = await server.ctx.db.auditEvent.findFirstOrThrow({
        where: { type: "takedown.requested", publicationId: publication.id },
      });
      const requestedAt = Date.parse((JSON.parse(requested.entry) as { time: string }).time);
      await acknowledge(server.ctx.db, takedownId, new Date(requestedAt + ms));
    }
    const { agent } = await signIn(await auditorToken(server.ctx.db, fast.id));
    const res = await agent.get("/audit").expect(200);
    expect(res.text).toMatch(/id="stat-median"><span class="label">[^<]*<\/span><span class="value">250 ms</);
    expect(res.text).toMatch(/id="stat-p95"><span class="label">[^<]*<\/span><span class="value">400 ms</);
    expect(res.text).toContain("Time to removal per day (ms)");
    const data = JSON.parse(/id="metrics-data">(.*?)<\/script>/s.exec(res.text)![1]!) as {
      latency: { unit: string; p50: Array<number | null>; p95: Array<number | null> };
    };
    expect(data.latency.unit).toBe("ms");
    expect(data.latency.p50.filter((v) => v !== null)).toEqual([250]);
    expect(data.latency.p95.filter((v) => v !== null)).toEqual([400]);
  });

  test("in Dutch on request, remembered", async () => {
    const { agent } = await signIn(tokens.all);
    const res = await agent.get("/audit?lang=nl").expect(200);
    expect(res.text).toContain('<html lang="nl">');
    expect(res.text).toContain("Te late verwijderingen");
    expect((await agent.get("/audit").expect(200)).text).toContain("Overzicht");
  });

  test("a platform's auditor sees that platform only", async () => {
    const { agent } = await signIn(tokens.alpha);
    const dashboard = await agent.get("/audit").expect(200);
    expect(dashboard.text).toContain(`Scope: platform ${alpha.id}`);
    expect(dashboard.text).toContain('id="overdue-none"');
    const events = await agent.get("/audit/events").expect(200);
    expect(events.text).toContain(alpha.id);
    expect(events.text).not.toContain(beta.id);
    expect(events.text).not.toContain('name="platform"');
    await agent.get(`/audit/events?platform=${beta.id}`).expect(403);
    const betaIndex = (await server.ctx.db.auditEvent.findFirstOrThrow({ where: { platformId: beta.id } })).index;
    const missing = await agent.get(`/audit/events/${betaIndex}`).expect(404);
    expect(missing.text).toContain("There is no log entry with this number in your scope.");
    const reports = await agent.get("/audit/reports").expect(200);
    expect(reports.text).not.toContain(beta.id);
    const exported = await agent.get("/audit/export?format=jsonl").buffer(true).expect(200);
    expect(exported.text).not.toContain(beta.id);
  });

  test("an event page carries its inclusion proof for the browser to verify", async () => {
    const { agent } = await signIn(tokens.all);
    const event = await server.ctx.db.auditEvent.findFirstOrThrow({
      where: { platformId: alpha.id, type: "publication.requested" },
    });
    const res = await agent.get(`/audit/events/${event.index}`).expect(200);
    const data = JSON.parse(/id="proof-data">(.*?)<\/script>/s.exec(res.text)![1]!);
    expect(data).toMatchObject({
      index: Number(event.index),
      entry: event.entry,
      verifierKey: (await server.ctx.logSigner.key()).verifierKey,
    });
    expect(res.text).toContain('data-state="pending"');
    expect(res.text).toContain('src="/assets/audit-console.js"');
  });

  test("search keeps its fields, and bad input is a page, not a stack trace", async () => {
    const { agent } = await signIn(tokens.all);
    const found = await agent.get(`/audit/events?type=takedown.requested&publication=&order=desc&limit=1`).expect(200);
    expect(found.text).toContain('value="takedown.requested"');
    const exportHref = /href="(\/audit\/export\?[^"]*format=csv)"/.exec(found.text)![1]!.replaceAll("&#38;", "&");
    expect(exportHref).toBe("/audit/export?type=takedown.requested&format=csv");
    const exported = await agent.get(exportHref).buffer(true).expect(200);
    expect(
      exported.text
        .trimEnd()
        .split("\r\n")
        .slice(1)
        .every((row) => row.includes(",takedown.requested,")),
    ).toBe(true);
    const bad = await agent.get("/audit/events?from=tuesday").expect(400);
    expect(bad.text).toContain("The request is not valid.");
    await agent.get("/audit/nowhere").expect(404);
  });

  test("platform names are text, never markup", async () => {
    const { agent } = await signIn(tokens.all);
    const reports = await agent.get("/audit/reports").expect(200);
    expect(reports.text).toContain("Alpha &#60;b&#62;bold&#60;/b&#62;");
    expect(reports.text).not.toContain("<b>bold</b>");
    const month = new Date().toISOString().slice(0, 7);
    const report = await agent.get(`/audit/reports/monthly?platform=${alpha.id}&month=${month}`).expect(200);
    expect(report.text).not.toContain("<b>bold</b>");
    const csv = await agent.get(`/audit/reports/monthly?platform=${alpha.id}&month=${month}&format=csv`).expect(200);
    expect(csv.text.split("\r\n")[0]).toBe("record,name,value,unit,requested_at,due_at,removed_at,sla,log_indexes");
  });
});

describe("assets", () => {
  test.each([
    ["/assets/audit-console.js", /^text\/javascript|^application\/javascript/],
    ["/assets/audit-console.css", /^text\/css/],
    ["/assets/vendor/uplot.js", /^text\/javascript/],
    ["/assets/vendor/uplot.css", /^text\/css/],
    ["/assets/vendor/vergewis-log.js", /^text\/javascript/],
  ])("%s is served from this origin", async (path, type) => {
    const res = await request(server.url).get(path).expect(200);
    expect(res.headers["content-type"]).toMatch(type);
  });
});

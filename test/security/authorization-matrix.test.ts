import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { createApp } from "../../packages/server/src/app.ts";
import { auditorToken, clearedPublication, takedown } from "../support/audit.ts";
import { consentedPublication } from "../support/consented.ts";
import { bearer } from "../support/fixtures.ts";
import type { TestPerformer } from "../support/performer.ts";
import { TestPlatform } from "../support/platform.ts";
import { freshIdentity, newPerformer, startPortalServer } from "../support/portal.ts";
import { eventually, startReceiver, type Receiver } from "../support/receiver.ts";
import { listRoutes } from "../support/routes.ts";
import type { TestServer } from "../support/server.ts";
import { subscribe } from "../support/takedown.ts";

// Every endpoint of the app × every kind of caller, with the exact status each must get. The
// routes come from Express's router: an endpoint added without a row here fails the first test.
// Writes by a caller who is allowed carry a body that fails validation (400), which proves the
// request got past authentication and authorisation while changing nothing.

const ROLES = ["none", "A", "B", "X", "Y", "auditA", "regulator"] as const;
type Role = (typeof ROLES)[number];

interface Fixtures {
  publicationId: string;
  slotId: string;
  consentId: string;
  takedownId: string;
  reportId: string;
  endpointId: string;
  spareEndpointId: string;
  deliveryId: string;
  passkeyId: string;
  invitationCode: string;
  eventOfA: string;
  eventOfB: string;
  statusList: string;
}

interface Row {
  path: (f: Fixtures) => string;
  /** Statuses in the order of ROLES: none, A, B, X, Y, auditA, regulator. */
  expect: string;
  /** An HTML form post (urlencoded, with the performer's CSRF field) instead of JSON. */
  form?: boolean;
  /** A JSON body other than `{}`: a valid one, where only the owner may act (made when sent). */
  body?: () => unknown;
  /** Ends the caller's session: run after every other row, each caller freshly signed in. */
  endsSession?: boolean;
}

const r = (path: string | ((f: Fixtures) => string), expect: string, options: Partial<Row> = {}): Row => ({
  path: typeof path === "string" ? () => path : path,
  expect,
  ...options,
});

// Who may do what, at a glance. Columns: none A B X Y auditA regulator.
const MATRIX: Record<string, Row[]> = {
  // Public: the process, problem types, assets, keys, status lists, the log's checkpoint, reports.
  "GET /healthz": [r("/healthz", "200 200 200 200 200 200 200")],
  "GET /readyz": [r("/readyz", "200 200 200 200 200 200 200")],
  "GET /problems/:code": [r("/problems/not_found", "200 200 200 200 200 200 200")],
  "GET /assets/vendor/:file": [r("/assets/vendor/uplot.js", "200 200 200 200 200 200 200")],
  "GET /favicon.ico": [r("/favicon.ico", "200 200 200 200 200 200 200")],
  "GET /assets/favicon.svg": [r("/assets/favicon.svg", "200 200 200 200 200 200 200")],
  "GET /.well-known/jwks.json": [r("/.well-known/jwks.json", "200 200 200 200 200 200 200")],
  "GET /openapi.json": [r("/openapi.json", "200 200 200 200 200 200 200")],
  "GET /reference": [r("/reference", "200 200 200 200 200 200 200")],
  "GET /reference/init.js": [r("/reference/init.js", "200 200 200 200 200 200 200")],
  "GET /reference/scalar.js": [r("/reference/scalar.js", "200 200 200 200 200 200 200")],
  "GET /v1/status-lists/:id": [r((f) => `/v1/status-lists/${f.statusList}`, "200 200 200 200 200 200 200")],
  "GET /v1/log/checkpoint": [r("/v1/log/checkpoint", "200 200 200 200 200 200 200")],
  "GET /v1/log/key": [r("/v1/log/key", "200 200 200 200 200 200 200")],
  // A bearer token here is a trusted flagger's: a platform's key or an auditor's token is not one.
  "POST /v1/reports": [r("/v1/reports", "400 401 401 400 400 401 401")],

  // The platform API: the platform's own key only; another platform's resource does not exist.
  "POST /v1/check": [r("/v1/check", "401 400 400 401 401 401 401")],
  "POST /v1/publications": [r("/v1/publications", "401 400 400 401 401 401 401")],
  "GET /v1/publications": [r("/v1/publications", "401 200 200 401 401 401 401")],
  "GET /v1/publications/:id": [r((f) => `/v1/publications/${f.publicationId}`, "401 200 404 401 401 401 401")],
  "POST /v1/publications/:id/slots/:slotId/invitation": [
    r((f) => `/v1/publications/${f.publicationId}/slots/${f.slotId}/invitation`, "401 409 404 401 401 401 401"),
  ],
  "GET /v1/publications/:id/consents": [
    r((f) => `/v1/publications/${f.publicationId}/consents`, "401 200 404 401 401 401 401"),
  ],
  "GET /v1/events": [r("/v1/events", "401 200 200 401 401 401 401")],
  "GET /v1/takedowns": [r("/v1/takedowns", "401 200 200 401 401 401 401")],
  "GET /v1/takedowns/:id": [r((f) => `/v1/takedowns/${f.takedownId}`, "401 200 404 401 401 401 401")],
  "POST /v1/takedowns/:id/ack": [
    r((f) => `/v1/takedowns/${f.takedownId}/ack`, "401 200 404 401 401 401 401", {
      // Now: after the takedown was requested, as the acknowledgement must be.
      body: () => ({ removedAt: new Date().toISOString() }),
    }),
  ],
  "GET /v1/reports": [r("/v1/reports", "401 200 200 401 401 401 401")],
  "GET /v1/reports/:id": [r((f) => `/v1/reports/${f.reportId}`, "401 200 404 401 401 401 401")],
  "POST /v1/reports/:id/resolve": [
    r((f) => `/v1/reports/${f.reportId}/resolve`, "401 200 404 401 401 401 401", {
      body: () => ({
        decision: "no_action",
        facts: "Every depicted person consented; consent receipts verified.",
        automatedDetection: false,
        automatedDecision: false,
        redress: "Internal complaint via /appeals.",
      }),
    }),
  ],
  "GET /v1/webhook-endpoints": [r("/v1/webhook-endpoints", "401 200 200 401 401 401 401")],
  "POST /v1/webhook-endpoints": [r("/v1/webhook-endpoints", "401 400 400 401 401 401 401")],
  "GET /v1/webhook-endpoints/:id": [r((f) => `/v1/webhook-endpoints/${f.endpointId}`, "401 200 404 401 401 401 401")],
  "DELETE /v1/webhook-endpoints/:id": [
    r((f) => `/v1/webhook-endpoints/${f.spareEndpointId}`, "401 204 404 401 401 401 401"),
  ],
  "POST /v1/webhook-endpoints/:id/enable": [
    r((f) => `/v1/webhook-endpoints/${f.endpointId}/enable`, "401 200 404 401 401 401 401"),
  ],
  "POST /v1/webhook-endpoints/:id/recover": [
    r((f) => `/v1/webhook-endpoints/${f.endpointId}/recover`, "401 202 404 401 401 401 401"),
  ],
  "POST /v1/webhook-endpoints/:id/rotate-secret": [
    r((f) => `/v1/webhook-endpoints/${f.endpointId}/rotate-secret`, "401 200 404 401 401 401 401"),
  ],
  "GET /v1/webhook-deliveries": [r("/v1/webhook-deliveries", "401 200 200 401 401 401 401")],
  "GET /v1/webhook-deliveries/:id": [r((f) => `/v1/webhook-deliveries/${f.deliveryId}`, "401 200 404 401 401 401 401")],
  "POST /v1/webhook-deliveries/:id/redeliver": [
    r((f) => `/v1/webhook-deliveries/${f.deliveryId}/redeliver`, "401 202 404 401 401 401 401"),
  ],

  // The auditor API: auditor tokens only; a platform's auditor sees that platform's entries.
  "GET /v1/audit/events": [r("/v1/audit/events", "401 401 401 401 401 200 200")],
  "GET /v1/audit/events/:index": [
    r((f) => `/v1/audit/events/${f.eventOfA}`, "401 401 401 401 401 200 200"),
    r((f) => `/v1/audit/events/${f.eventOfB}`, "401 401 401 401 401 404 200"),
  ],
  "GET /v1/audit/export": [r("/v1/audit/export", "401 401 401 401 401 200 200")],
  "GET /v1/audit/log/entries": [r("/v1/audit/log/entries?start=0", "401 401 401 401 401 200 200")],
  "GET /v1/audit/log/inclusion": [r("/v1/audit/log/inclusion", "401 401 401 401 401 400 400")],
  "GET /v1/audit/metrics": [r("/v1/audit/metrics", "401 401 401 401 401 200 200")],
  "GET /v1/audit/proofs/consistency": [r("/v1/audit/proofs/consistency", "401 401 401 401 401 400 400")],
  "GET /v1/audit/proofs/inclusion": [r("/v1/audit/proofs/inclusion", "401 401 401 401 401 400 400")],
  "GET /v1/audit/reports/monthly": [r("/v1/audit/reports/monthly", "401 401 401 401 401 400 400")],
  "POST /v1/audit/checkpoint": [r("/v1/audit/checkpoint", "401 401 401 401 401 200 200")],

  // The audit console: pages need a console session, else the sign-in form.
  "GET /audit/login": [r("/audit/login", "200 200 200 200 200 200 200")],
  "POST /audit/login": [r("/audit/login", "401 401 401 401 401 401 401", { form: true })],
  "GET /audit/": [r("/audit/", "303 303 303 303 303 200 200")],
  "GET /audit/events": [r("/audit/events", "303 303 303 303 303 200 200")],
  "GET /audit/events/:index": [
    r((f) => `/audit/events/${f.eventOfA}`, "303 303 303 303 303 200 200"),
    r((f) => `/audit/events/${f.eventOfB}`, "303 303 303 303 303 404 200"),
  ],
  "GET /audit/export": [r("/audit/export", "303 303 303 303 303 200 200")],
  "GET /audit/reports": [r("/audit/reports", "303 303 303 303 303 200 200")],
  "GET /audit/reports/monthly": [r("/audit/reports/monthly", "303 303 303 303 303 400 400")],
  "POST /audit/logout": [r("/audit/logout", "303 303 303 303 303 303 303", { form: true, endsSession: true })],

  // The performer's JSON API: a logged-in performer, their own requests and consents only. A
  // state-changing request without a session has no CSRF token either (403).
  "GET /portal/api/session": [r("/portal/api/session", "200 200 200 200 200 200 200")],
  "POST /portal/api/login/options": [r("/portal/api/login/options", "403 403 403 200 200 403 403")],
  "POST /portal/api/login": [r("/portal/api/login", "403 403 403 400 400 403 403")],
  "GET /portal/api/overview": [r("/portal/api/overview", "401 401 401 200 200 401 401")],
  "GET /portal/api/requests": [r("/portal/api/requests", "401 401 401 200 200 401 401")],
  "GET /portal/api/requests/:id": [r((f) => `/portal/api/requests/${f.slotId}`, "401 401 401 200 404 401 401")],
  "POST /portal/api/requests/:id/consent/options": [
    r((f) => `/portal/api/requests/${f.slotId}/consent/options`, "403 403 403 409 404 403 403"),
  ],
  "POST /portal/api/requests/:id/consent": [
    r((f) => `/portal/api/requests/${f.slotId}/consent`, "403 403 403 400 400 403 403"),
  ],
  "POST /portal/api/requests/:id/decline": [
    r((f) => `/portal/api/requests/${f.slotId}/decline`, "403 403 403 409 404 403 403"),
  ],
  "GET /portal/api/consents": [r("/portal/api/consents", "401 401 401 200 200 401 401")],
  "GET /portal/api/consents/:id": [r((f) => `/portal/api/consents/${f.consentId}`, "401 401 401 200 404 401 401")],
  "POST /portal/api/consents/:id/revocation/options": [
    r((f) => `/portal/api/consents/${f.consentId}/revocation/options`, "403 403 403 200 404 403 403"),
  ],
  "POST /portal/api/consents/:id/revocation": [
    r((f) => `/portal/api/consents/${f.consentId}/revocation`, "403 403 403 400 400 403 403"),
  ],
  "POST /portal/api/consents/:id/lift/options": [
    r((f) => `/portal/api/consents/${f.consentId}/lift/options`, "403 403 403 409 404 403 403"),
  ],
  "POST /portal/api/consents/:id/lift": [
    r((f) => `/portal/api/consents/${f.consentId}/lift`, "403 403 403 400 400 403 403"),
  ],
  "GET /portal/api/passkeys": [r("/portal/api/passkeys", "401 401 401 200 200 401 401")],
  "POST /portal/api/passkeys/options": [r("/portal/api/passkeys/options", "403 403 403 200 200 403 403")],
  "POST /portal/api/passkeys": [r("/portal/api/passkeys", "403 403 403 400 400 403 403")],
  "DELETE /portal/api/passkeys/:id": [r((f) => `/portal/api/passkeys/${f.passkeyId}`, "403 403 403 409 404 403 403")],
  "GET /portal/api/invitation": [r("/portal/api/invitation", "404 404 404 404 404 404 404")],
  "POST /portal/api/invitations/claim": [r("/portal/api/invitations/claim", "403 403 403 404 404 403 403")],
  "GET /portal/api/export": [r("/portal/api/export", "401 401 401 200 200 401 401")],
  "POST /portal/api/account/deletion/options": [
    r("/portal/api/account/deletion/options", "403 403 403 200 200 403 403"),
  ],
  "POST /portal/api/account/deletion": [r("/portal/api/account/deletion", "403 403 403 400 400 403 403")],
  // A report by hash: anyone with a portal session (a signed-in performer as a depicted person).
  "POST /portal/api/reports": [r("/portal/api/reports", "403 403 403 400 400 403 403")],
  "POST /portal/api/logout": [r("/portal/api/logout", "403 403 403 204 204 403 403", { endsSession: true })],

  // Identity verification and invitation links: anyone may start; what they lead to needs a login.
  "GET /portal/verify/start": [r("/portal/verify/start", "303 303 303 303 303 303 303")],
  "GET /portal/verify/callback": [r("/portal/verify/callback", "400 400 400 400 400 400 400")],

  // The portal's pages.
  "GET /portal/": [r("/portal/", "303 303 303 200 200 303 303")],
  "GET /portal/login": [r("/portal/login", "200 200 200 303 303 200 200")],
  "GET /portal/onboarding": [r("/portal/onboarding", "200 200 200 303 303 200 200")],
  "GET /portal/invitation": [r("/portal/invitation", "200 200 200 200 200 200 200")],
  "POST /portal/invitation": [r("/portal/invitation", "403 403 403 404 404 403 403", { form: true })],
  "POST /portal/invitation/accept": [r("/portal/invitation/accept", "403 403 403 404 404 403 403", { form: true })],
  "GET /portal/requests/:id": [r((f) => `/portal/requests/${f.slotId}`, "303 303 303 200 404 303 303")],
  "POST /portal/requests/:id/decline": [
    r((f) => `/portal/requests/${f.slotId}/decline`, "403 403 403 409 404 403 403", { form: true }),
  ],
  "GET /portal/consents/:id": [r((f) => `/portal/consents/${f.consentId}`, "303 303 303 200 404 303 303")],
  "GET /portal/consents/:id/revoke": [
    r((f) => `/portal/consents/${f.consentId}/revoke`, "303 303 303 200 404 303 303"),
  ],
  "GET /portal/consents/:id/allow": [r((f) => `/portal/consents/${f.consentId}/allow`, "303 303 303 200 404 303 303")],
  "GET /portal/account": [r("/portal/account", "303 303 303 200 200 303 303")],
  "GET /portal/account/delete": [r("/portal/account/delete", "303 303 303 200 200 303 303")],
  "GET /portal/data": [r("/portal/data", "303 303 303 200 200 303 303")],
  "GET /portal/data/export": [r("/portal/data/export", "303 303 303 200 200 303 303")],
  "GET /portal/goodbye": [r("/portal/goodbye", "200 200 200 200 200 200 200")],
  "GET /portal/report": [r("/portal/report", "200 200 200 200 200 200 200")],
  // Last: it leaves an invitation pending in each caller's session.
  "GET /portal/i/:code": [r((f) => `/portal/i/${f.invitationCode}`, "303 303 303 303 303 303 303")],
  "POST /portal/logout": [r("/portal/logout", "403 403 403 303 303 403 403", { form: true, endsSession: true })],
};

let server: TestServer;
let rx: Receiver;
let A: TestPlatform;
let B: TestPlatform;
let X: TestPerformer;
let Y: TestPerformer;
const auditor = { auditA: { token: "", cookie: "" }, regulator: { token: "", cookie: "" } };
let f: Fixtures;

beforeAll(async () => {
  server = await startPortalServer({ worker: { pollInterval: "50ms" }, reports: { rateLimit: 10_000 } });
  rx = await startReceiver();
  [A, B] = await Promise.all([TestPlatform.create(server, "A"), TestPlatform.create(server, "B")]);
  const endpoint = await subscribe(server.url, A.apiKey, rx);
  const spare = await subscribe(server.url, A.apiKey, rx);
  const consented = await consentedPublication(server, A, { slots: 2, signed: 1 });
  X = consented.performers[0]!;
  Y = await newPerformer(server).onboard(freshIdentity());
  const invited = await A.publish();
  const cleared = await clearedPublication(server.ctx.db, server.url, A.apiKey);
  const { takedownId } = await takedown(server.ctx.db, cleared.id);
  const ofB = await clearedPublication(server.ctx.db, server.url, B.apiKey);
  const { value } = await server.ctx.db.contentFingerprint.findFirstOrThrow({ where: { publicationId: cleared.id } });
  const reported = await fetch(`${server.url}/v1/reports`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      category: "no_consent",
      description: "This shows me without my consent.",
      fingerprint: { alg: "sha-256", value },
    }),
  });
  expect(reported.status).toBe(202);
  const delivery = await eventually(
    async () =>
      (await server.ctx.db.webhookDelivery.findFirst({ where: { platformId: A.id, status: "delivered" } })) ??
      undefined,
  );
  const reportRow = await server.ctx.db.report.findFirstOrThrow({ where: { platformId: A.id } });
  const event = (publicationId: string) =>
    server.ctx.db.auditEvent.findFirstOrThrow({ where: { publicationId }, select: { index: true } });
  auditor.auditA.token = await auditorToken(server.ctx.db, A.id);
  auditor.regulator.token = await auditorToken(server.ctx.db, null);
  f = {
    publicationId: consented.publication.id,
    slotId: consented.publication.slots[0]!.id,
    consentId: consented.consentIds[0]!,
    takedownId,
    reportId: reportRow.id,
    endpointId: endpoint.id,
    spareEndpointId: spare.id,
    deliveryId: delivery.id,
    passkeyId: (await server.ctx.db.passkey.findFirstOrThrow({ where: { performer: { slots: { some: {} } } } })).id,
    invitationCode: new URL(invited.invitations[0]!.url).pathname.split("/").at(-1)!,
    eventOfA: String((await event(cleared.id)).index),
    eventOfB: String((await event(ofB.id)).index),
    statusList: String((await server.ctx.db.statusList.findFirstOrThrow()).id),
  };
  await signInAuditors();
});
afterAll(async () => {
  await server?.close();
  await rx?.close();
});

async function signInAuditors() {
  for (const who of Object.values(auditor)) {
    const res = await fetch(`${server.url}/audit/login`, {
      method: "POST",
      redirect: "manual",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ token: who.token }),
    });
    who.cookie = res.headers.getSetCookie()[0]!.split(";")[0]!;
  }
}

async function send(role: Role, method: string, row: Row, path: string): Promise<{ status: number; body: string }> {
  const hasBody = method === "POST";
  if (role === "X" || role === "Y") {
    const performer = role === "X" ? X : Y;
    const page = await performer.page(path, {
      method,
      headers: {
        ...(hasBody && { "content-type": row.form ? "application/x-www-form-urlencoded" : "application/json" }),
        ...(!row.form && { "x-csrf-token": performer.csrfToken }),
      },
      ...(hasBody && {
        body: row.form
          ? new URLSearchParams({ csrf: performer.csrfToken }).toString()
          : JSON.stringify(row.body?.() ?? {}),
      }),
    });
    return { status: page.status, body: page.body };
  }
  const credentials: Record<string, string> =
    role === "A" || role === "B"
      ? bearer((role === "A" ? A : B).apiKey)
      : role === "auditA" || role === "regulator"
        ? { ...bearer(auditor[role].token), cookie: auditor[role].cookie }
        : {};
  const res = await fetch(`${server.url}${path}`, {
    method,
    redirect: "manual",
    headers: {
      ...credentials,
      ...(hasBody && { "content-type": row.form ? "application/x-www-form-urlencoded" : "application/json" }),
    },
    ...(hasBody && { body: row.form ? "" : JSON.stringify(row.body?.() ?? {}) }),
  });
  return { status: res.status, body: await res.text() };
}

describe("authorisation matrix", () => {
  test("every route of the app has a row, and every row a route", () => {
    const routes = listRoutes(createApp(server.ctx)).map((route) => `${route.method} ${route.path}`);
    expect(routes.length).toBeGreaterThan(80);
    expect(
      routes.filter((route) => !(route in MATRIX)),
      "routes without a row",
    ).toEqual([]);
    expect(
      Object.keys(MATRIX).filter((key) => !routes.includes(key)),
      "rows without a route",
    ).toEqual([]);
  });

  test("each caller gets exactly the expected status from each endpoint", async () => {
    const entries = Object.entries(MATRIX).flatMap(([key, rows]) => rows.map((row) => ({ key, row })));
    const ordered = [...entries.filter((e) => !e.row.endsSession), ...entries.filter((e) => e.row.endsSession)];
    const mismatches: string[] = [];
    const leaks: string[] = [];
    const secretsOfA = () => [f.publicationId, f.consentId, f.takedownId, f.reportId, f.endpointId, f.deliveryId];
    for (const { key, row } of ordered) {
      const method = key.split(" ")[0]!;
      const path = row.path(f);
      const expected = row.expect.split(" ").map(Number);
      if (row.endsSession) {
        for (const performer of [X, Y]) {
          performer.csrfToken = "";
          expect((await performer.login()).status).toBe(200);
        }
        await signInAuditors();
      }
      const got: number[] = [];
      for (const role of ROLES) {
        const { status, body } = await send(role, method, row, path);
        got.push(status);
        if ((role === "none" || role === "B" || role === "Y") && status < 300 && !key.startsWith("GET /v1/status"))
          for (const id of secretsOfA()) if (body.includes(id)) leaks.push(`${role} ${method} ${path} shows ${id}`);
      }
      if (got.join(" ") !== expected.join(" "))
        mismatches.push(`${key.padEnd(50)} ${path}\n   expected ${expected.join(" ")}\n   got      ${got.join(" ")}`);
    }
    if (mismatches.length) console.log(mismatches.join("\n"));
    expect(mismatches.join("\n"), "none A B X Y auditA regulator").toBe("");
    expect(leaks).toEqual([]);
  }, 120_000);
});

import SwaggerParser from "@apidevtools/swagger-parser";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { createApp } from "../../packages/server/src/app.ts";
import { openApiPath } from "../../packages/server/src/openapi/document.ts";
import { Contract } from "../support/contract.ts";
import { listRoutes } from "../support/routes.ts";
import { startTestServer, type TestServer } from "../support/server.ts";

// The OpenAPI document is the contract of the API: it validates, it names every route the app
// serves (and no other), and the checker that every API suite's traffic passes through catches an
// answer that strays from it.

/** What the document leaves out: the portal's and the console's pages and their own JSON API. */
const NOT_IN_DOCUMENT = [
  /^\/portal(\/|$)/, // performers: cookie sessions and CSRF, for the portal's own pages only
  /^\/audit(\/|$)/, // the auditors' console (pages); the auditor API is /v1/audit
  /^\/assets\//,
  /^\/favicon\.ico$/,
  /^\/reference(\/|$)/, // the document's own reference page and its scripts
  /^\/metrics$/, // Prometheus text format, for operators
];

let server: TestServer;
let document: Record<string, any>;

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server?.close());

describe("the OpenAPI document", () => {
  test("is served at /openapi.json and is a valid OpenAPI 3.1 document", async () => {
    const response = await fetch(`${server.url}/openapi.json`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^application\/json/);
    document = (await response.json()) as Record<string, any>;
    expect(document.openapi).toMatch(/^3\.1\./);
    expect(document.servers).toEqual([{ url: server.url }]);
    await expect(SwaggerParser.validate(structuredClone(document) as never)).resolves.toBeTruthy();
    // Every webhook event type, each with its Standard Webhooks headers.
    expect(Object.keys(document.webhooks).sort()).toEqual([
      "consent.revoked",
      "publication.cleared",
      "publication.declined",
      "report.overdue",
      "report.received",
      "takedown.overdue",
      "takedown.requested",
    ]);
  });

  test("has an operation for every route of the API, and no operation without a route", async () => {
    const routes = listRoutes(createApp(server.ctx))
      .filter((r) => !NOT_IN_DOCUMENT.some((pattern) => pattern.test(r.path)))
      .map((r) => `${r.method} ${openApiPath(r.path)}`)
      .sort();
    const operations = Object.entries(document.paths as Record<string, object>)
      .flatMap(([path, item]) => Object.keys(item).map((method) => `${method.toUpperCase()} ${path}`))
      .sort();
    expect(operations).toEqual(routes);
  });

  test("checks real answers: a conforming one passes, a changed one is caught", async () => {
    const contract = new Contract(server.url);
    const watch = contract.watch(server);
    const response = await fetch(`${server.url}/v1/log/key`);
    const body = await response.text();
    watch.stop();
    expect(watch.exchanges()).toBe(1);
    expect(watch.violations).toEqual([]);

    const exchange = {
      method: "GET",
      path: "/v1/log/key",
      query: [],
      status: 200,
      contentType: "application/json",
      body,
    };
    expect(contract.check(exchange)).toEqual([]);
    const { keyId: _, ...withoutKeyId } = JSON.parse(body) as Record<string, unknown>;
    expect(contract.check({ ...exchange, body: JSON.stringify(withoutKeyId) }).join()).toMatch(/keyId/);
    expect(contract.check({ ...exchange, contentType: "text/html" }).join()).toMatch(/content type text\/html/);
    expect(contract.check({ ...exchange, status: 418 }).join()).toMatch(/status not documented/);
    const problem = { type: "x", title: "Not Found", status: 404, detail: "No such publication.", code: "not_found" };
    const get = { method: "GET", path: "/v1/publications/0", query: [], contentType: "application/problem+json" };
    expect(contract.check({ ...get, status: 404, body: JSON.stringify(problem) })).toEqual([]);
    expect(contract.check({ ...get, status: 404, body: JSON.stringify({ ...problem, code: "gone" }) }).join()).toMatch(
      /code/,
    );
    // A request the server accepted must be one the document allows.
    const list = { method: "GET", path: "/v1/publications", status: 200, contentType: "application/json" };
    const page = JSON.stringify({ items: [], nextCursor: null });
    expect(contract.check({ ...list, query: [["limit", "5"]], body: page })).toEqual([]);
    expect(contract.check({ ...list, query: [["limit", "500"]], body: page }).join()).toMatch(/query limit/);
    expect(contract.check({ ...list, query: [["sort", "title"]], body: page }).join()).toMatch(/not documented/);
  });
});

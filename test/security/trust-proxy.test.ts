import http, { type IncomingHttpHeaders } from "node:http";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { startForwardingProxy, type ForwardingProxy } from "../support/forwarding-proxy.ts";
import { startTestServer, type TestServer } from "../support/server.ts";

// The operator guide's setting, VERGEWIS_TRUST_PROXY=1, behind a real one-hop proxy that appends
// the client's address to X-Forwarded-For as nginx does. Clients are told apart by their own
// loopback address (127.0.0.2, 127.0.0.3: every 127/8 address is the local host on Linux).

let server: TestServer;
let proxy: ForwardingProxy;
let tlsProxy: ForwardingProxy;

beforeAll(async () => {
  server = await startTestServer({
    // As the environment gives it: a string.
    http: { trustProxy: "1" },
    rateLimits: { invitations: 3, verification: 3 },
    reports: { rateLimit: 3 },
  });
  proxy = await startForwardingProxy(server.url);
  tlsProxy = await startForwardingProxy(server.url, { proto: "https" });
});
afterAll(async () => {
  await proxy?.close();
  await tlsProxy?.close();
  await server?.close();
});

interface Sent {
  status: number;
  headers: IncomingHttpHeaders;
}

/** One request from the local address `from`, as another machine would send it. */
function send(
  url: string,
  options: { from: string; method?: string; headers?: Record<string, string>; body?: string },
): Promise<Sent> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      { method: options.method ?? "GET", headers: options.headers, localAddress: options.from },
      (res) => {
        res.resume();
        res.on("end", () => resolve({ status: res.statusCode!, headers: res.headers }));
      },
    );
    req.on("error", reject);
    req.end(options.body);
  });
}

const LIMITED = [
  { what: "an invitation link", method: "GET", path: "/portal/i/ABCD-EFGH-JKLM", limit: 3 },
  { what: "the start of an age verification", method: "GET", path: "/portal/verify/start", limit: 3 },
  {
    what: "an anonymous report",
    method: "POST",
    path: "/v1/reports",
    headers: { "content-type": "application/json" },
    body: "{}",
    limit: 3,
  },
  {
    what: "an auditor's sign-in",
    method: "POST",
    path: "/audit/login",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: "token=wrong",
    limit: 30,
  },
];

describe("VERGEWIS_TRUST_PROXY=1 behind one proxy", () => {
  test.each(LIMITED)(
    "a made-up X-Forwarded-For does not escape the rate limit of $what",
    async ({ method, path, headers, body, limit }) => {
      const statuses: number[] = [];
      for (let n = 1; n <= limit + 4; n++) {
        // Both forms: a bare address, and one that also names the proxy's neighbour as the last hop.
        const forwarded = n % 2 ? `198.51.100.${n}` : `198.51.100.${n}, 127.0.0.1`;
        const res = await send(proxy.url + path, {
          from: "127.0.0.2",
          method,
          body,
          headers: { ...headers, "x-forwarded-for": forwarded },
        });
        statuses.push(res.status);
      }
      expect(statuses.slice(0, limit)).not.toContain(429);
      expect(statuses.slice(limit)).toEqual([429, 429, 429, 429]);

      // The limit is the client's, as the proxy saw it, not the proxy's: another client goes on.
      const other = await send(proxy.url + path, { from: "127.0.0.3", method, body, headers });
      expect(other.status).not.toBe(429);
    },
  );
});

describe("Strict-Transport-Security", () => {
  test("not over plain http; sent when a trusted proxy says the client came over https", async () => {
    const direct = await send(`${server.url}/healthz`, { from: "127.0.0.1" });
    expect(direct.headers["strict-transport-security"]).toBeUndefined();
    const plain = await send(`${proxy.url}/healthz`, { from: "127.0.0.1" });
    expect(plain.headers["strict-transport-security"]).toBeUndefined();
    const tls = await send(`${tlsProxy.url}/healthz`, { from: "127.0.0.1" });
    expect(tls.headers["strict-transport-security"]).toBe("max-age=31536000; includeSubDomains");
  });

  describe("with an https public URL (TLS ends in front)", () => {
    let behindTls: TestServer;
    beforeAll(async () => {
      behindTls = await startTestServer({ http: { publicUrl: "https://consent.example.test" } });
    });
    afterAll(() => behindTls?.close());

    test("sent on every answer", async () => {
      const res = await send(`http://127.0.0.1:${behindTls.port}/healthz`, { from: "127.0.0.1" });
      expect(res.headers["strict-transport-security"]).toBe("max-age=31536000; includeSubDomains");
    });
  });
});

describe("start-up warnings", () => {
  let open: TestServer;
  beforeAll(async () => {
    open = await startTestServer({ http: { trustProxy: "true" }, webhooks: { allowPrivateNetworks: "true" } });
  });
  afterAll(() => open?.close());
  const warnings = (logs: Array<Record<string, unknown>>) =>
    logs.filter((line) => line.level === 40 && typeof line.setting === "string");

  test("settings that switch a protection off are warned about; the documented ones are not", () => {
    expect(warnings(server.logs)).toEqual([]);
    expect(warnings(open.logs).map((line) => [line.setting, line.msg])).toEqual([
      ["VERGEWIS_TRUST_PROXY", expect.stringMatching(/every hop of X-Forwarded-For is trusted.*rate limits/)],
      ["VERGEWIS_WEBHOOK_ALLOW_PRIVATE_NETWORKS", expect.stringMatching(/private, loopback and link-local/)],
    ]);
  });
});

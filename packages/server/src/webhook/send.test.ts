import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { createSender } from "./send.ts";

describe("createSender", () => {
  let server: Server;
  let url: string;
  let hits = 0;
  beforeAll(async () => {
    server = createServer((req, res) => {
      hits++;
      if (req.url === "/slow") setTimeout(() => res.writeHead(200).end(), 1_000);
      else if (req.url === "/redirect") res.writeHead(302, { location: "/ok" }).end();
      else res.writeHead(204).end();
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  test("posts and reports the status; does not follow redirects", async () => {
    const sender = createSender({ timeout: 2_000, allowPrivateNetworks: true });
    expect(await sender.send(`${url}/ok`, { "content-type": "application/json" }, "{}")).toEqual({ status: 204 });
    expect(await sender.send(`${url}/redirect`, {}, "{}")).toEqual({ status: 302 });
    await sender.close();
  });

  test("a receiver slower than the timeout fails the attempt", async () => {
    const sender = createSender({ timeout: 200, allowPrivateNetworks: true });
    expect(await sender.send(`${url}/slow`, {}, "{}")).toEqual({ error: "no response within 200 ms" });
    await sender.close();
  });

  test("a refused connection is reported as such", async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", () => resolve()));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const sender = createSender({ timeout: 1_000, allowPrivateNetworks: true });
    expect(await sender.send(`http://127.0.0.1:${port}/`, {}, "{}")).toEqual({ error: "connection refused" });
    await sender.close();
  });

  test("without private networks, neither an IP literal nor a name resolving to one is reached", async () => {
    const sender = createSender({ timeout: 1_000, allowPrivateNetworks: false });
    const before = hits;
    const literal = await sender.send(`${url}/ok`, {}, "{}");
    expect(literal.error).toMatch(/private/);
    for (const embedded of ["[64:ff9b::7f00:1]", "[2002:7f00:1::1]", "[::127.0.0.1]"]) {
      expect((await sender.send(url.replace("127.0.0.1", embedded) + "/ok", {}, "{}")).error).toMatch(/private/);
    }
    const named = await sender.send(url.replace("127.0.0.1", "localhost") + "/ok", {}, "{}");
    expect(named.error).toMatch(/localhost resolves to .*, which webhooks may not reach/);
    expect(hits).toBe(before);
    await sender.close();
  });
});

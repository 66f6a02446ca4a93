import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { load } from "./load.ts";

interface Recorder {
  url: string;
  /** When each request arrived (performance.now()), in order. */
  arrivals: number[];
  /** The distinct connections the requests came over. */
  sockets: Set<unknown>;
}

let server: http.Server | undefined;

afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve) ?? resolve(undefined));
  server = undefined;
});

/** A real HTTP server on loopback that records arrivals; `answer` handles request n (from 0). */
async function recorder(answer: (n: number, res: http.ServerResponse) => void): Promise<Recorder> {
  const arrivals: number[] = [];
  const sockets = new Set<unknown>();
  server = http.createServer((req, res) => {
    arrivals.push(performance.now());
    sockets.add(req.socket);
    req.resume();
    req.on("end", () => answer(arrivals.length - 1, res));
  });
  await new Promise<void>((resolve) => server!.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, arrivals, sockets };
}

const ok = (_n: number, res: http.ServerResponse) => res.end("{}");

describe("paced load", () => {
  it("sends rate × duration requests, spread evenly over the run rather than in bursts, over keep-alive connections", async () => {
    const server = await recorder(ok);
    const result = await load({ url: server.url, method: "POST", body: "{}", durationSeconds: 1.5, rate: 200 });

    expect(result).toMatchObject({ requests: 300, errors: 0, non2xx: 0 });
    expect(result.samplesMs).toHaveLength(300);
    expect(server.arrivals).toHaveLength(300);
    // Ideally 5 ms apart: the typical gap says so even when a busy machine bunches a few.
    const gaps = server.arrivals.slice(1).map((t, i) => t - server.arrivals[i]!);
    const typical = gaps.sort((a, b) => a - b)[Math.floor(gaps.length / 2)]!;
    expect(typical).toBeGreaterThan(2.5);
    expect(typical).toBeLessThan(7.5);
    // A per-second limiter would send 200 at the start of a second; here every quarter second
    // holds about its 50.
    const first = server.arrivals[0]!;
    for (let quarter = 0; quarter < 6; quarter++) {
      const inQuarter = server.arrivals.filter((t) => Math.floor((t - first) / 250) === quarter).length;
      expect(inQuarter).toBeLessThanOrEqual(100);
    }
    expect(server.sockets.size).toBeLessThanOrEqual(16);
  });

  it("counts latency from each request's scheduled time, so a stall shows in every request it held up", async () => {
    // One connection, and the server holds the first request 300 ms: the requests due meanwhile
    // wait for the connection. Timed from their sending they would look fast.
    const server = await recorder((n, res) => (n === 0 ? setTimeout(() => res.end("{}"), 300) : res.end("{}")));
    const result = await load({ url: server.url, durationSeconds: 1, rate: 100, connections: 1 });

    expect(result).toMatchObject({ requests: 100, errors: 0, non2xx: 0 });
    expect(result.samplesMs.filter((ms) => ms > 100).length).toBeGreaterThanOrEqual(15);
    expect(result.p99).toBeGreaterThan(250);
    expect(result.p50).toBeLessThan(100);
  });

  it("counts answers outside 2xx and requests that got no answer", async () => {
    const server = await recorder((n, res) => {
      if (n % 5 === 4) res.socket!.destroy();
      else res.writeHead(n % 2 ? 503 : 200).end("{}");
    });
    const result = await load({ url: server.url, durationSeconds: 0.5, rate: 100 });

    expect(server.arrivals).toHaveLength(50);
    expect(result).toMatchObject({ requests: 50, errors: 10, non2xx: 20 });
    expect(result.samplesMs).toHaveLength(40);
  });
});

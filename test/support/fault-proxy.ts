import http, { type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * What the proxy does with one request, in order of arrival; once the plan is used up it forwards.
 * - `respond`: answers by itself, without forwarding.
 * - `reset`: closes the connection without an answer (nothing reaches the server).
 * - `lose-response`: forwards, lets the server finish, then closes the connection instead of
 *   passing the answer on (the work is done, the client cannot know).
 * - `hang`: never answers; the connection stays open until the client gives up.
 */
export type Fault =
  | { respond: { status: number; headers?: Record<string, string>; body?: string } }
  | "reset"
  | "lose-response"
  | "hang";

export interface SeenRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  /** performance.now() when the request arrived. */
  at: number;
}

export interface FaultProxy {
  /** Base URL of the proxy, with `prefix` when one was given. */
  url: string;
  /** Every request that reached the proxy. */
  seen: SeenRequest[];
  /** Replaces the plan for the next requests. */
  plan(...faults: Fault[]): void;
  close(): Promise<void>;
}

/**
 * A real HTTP reverse proxy in front of a real server that injects the failures clients must
 * survive: throttling, outages, lost responses, resets and silence. `prefix` is stripped from the
 * path before forwarding (a server mounted under a path).
 */
export async function startFaultProxy(upstream: string, options: { prefix?: string } = {}): Promise<FaultProxy> {
  const target = new URL(upstream);
  const prefix = options.prefix ?? "";
  let faults: Fault[] = [];
  const seen: SeenRequest[] = [];
  const hanging = new Set<http.ServerResponse>();

  const server = http.createServer((req, res) => {
    seen.push({ method: req.method!, path: req.url!, headers: req.headers, at: performance.now() });
    const fault = faults.shift();
    if (fault === "reset") return req.socket.destroy();
    if (fault === "hang") {
      hanging.add(res);
      return req.resume();
    }
    if (fault !== undefined && fault !== "lose-response") {
      req.resume();
      res.writeHead(fault.respond.status, fault.respond.headers ?? {});
      return res.end(fault.respond.body ?? "");
    }
    const path = req.url!.startsWith(prefix) ? req.url!.slice(prefix.length) || "/" : req.url!;
    const forward = http.request(
      {
        host: target.hostname,
        port: target.port,
        method: req.method,
        path,
        headers: { ...req.headers, host: target.host },
      },
      (upstreamRes) => {
        if (fault === "lose-response") {
          upstreamRes.resume();
          upstreamRes.on("end", () => req.socket.destroy());
          return;
        }
        res.writeHead(upstreamRes.statusCode!, upstreamRes.headers);
        upstreamRes.pipe(res);
      },
    );
    forward.on("error", () => req.socket.destroy());
    req.pipe(forward);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${prefix}`,
    seen,
    plan: (...next) => {
      faults = next;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const res of hanging) res.socket?.destroy();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

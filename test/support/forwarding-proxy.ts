import http from "node:http";
import type { AddressInfo } from "node:net";

export interface ForwardingProxy {
  url: string;
  close(): Promise<void>;
}

/**
 * A real reverse proxy configured as nginx usually is in front of an application
 * (`proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for; X-Forwarded-Proto $scheme`): it
 * appends the address of the client it sees to whatever X-Forwarded-For the client sent, and
 * says which scheme the client used (`proto`: "https" stands for a proxy that terminates TLS).
 */
export async function startForwardingProxy(
  upstream: string,
  options: { proto?: "http" | "https" } = {},
): Promise<ForwardingProxy> {
  const target = new URL(upstream);
  const server = http.createServer((req, res) => {
    const client = req.socket.remoteAddress!.replace(/^::ffff:/, "");
    const sent = req.headers["x-forwarded-for"];
    const forward = http.request(
      {
        host: target.hostname,
        port: target.port,
        method: req.method,
        path: req.url,
        headers: {
          ...req.headers,
          "x-forwarded-for": sent ? `${sent}, ${client}` : client,
          "x-forwarded-proto": options.proto ?? "http",
        },
      },
      (answer) => {
        res.writeHead(answer.statusCode!, answer.headers);
        answer.pipe(res);
      },
    );
    forward.on("error", () => req.socket.destroy());
    req.pipe(forward);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import express from "express";
import type { Logger } from "pino";
import type { Config } from "../config/schema.ts";
import { errorHandler } from "./error-response.ts";
import { notFound } from "./problem.ts";
import { metricsRoute } from "./metrics.ts";
import type { ServerMetrics } from "../prometheus/registry.ts";

export interface MetricsListener {
  /** Where Prometheus scrapes: `http://<host>:<port>/metrics`. */
  url: string;
  close(): Promise<void>;
}

/**
 * `/metrics` on a listener of its own (`metrics.port`), so that it can stay on an internal
 * network while the main listener faces the world. Nothing else is served there.
 */
export async function startMetricsListener(
  config: Config["metrics"],
  metrics: ServerMetrics,
  publicUrl: string,
  log: Logger,
): Promise<MetricsListener> {
  const app = express();
  app.disable("x-powered-by");
  app.use(metricsRoute(metrics, config.token));
  app.use(notFound);
  app.use(errorHandler(publicUrl, log, []));
  const server = createServer(app);
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(config.port, config.host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const { address, port } = server.address() as AddressInfo;
  const host = address.includes(":") ? `[${address}]` : address;
  return {
    url: `http://${host}:${port}/metrics`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

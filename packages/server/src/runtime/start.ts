import type { AddressInfo } from "node:net";
import { createServer, type Server } from "node:http";
import type { Logger } from "pino";
import { createApp } from "../app.ts";
import { LogSigner, logOrigin, startCheckpointSchedule } from "../audit/checkpoint.ts";
import { publicUrl } from "../config/load.ts";
import type { Config } from "../config/schema.ts";
import { logConfigWarnings } from "../config/warnings.ts";
import type { ServerContext } from "../context.ts";
import { listenForChanges } from "../db/changes.ts";
import { createDb } from "../db/client.ts";
import { migrate } from "../db/migrate/migrate.ts";
import { startIdentityServices } from "../identity/services.ts";
import { createLogger } from "../log.ts";
import { startOperatorChannel } from "../operator/channel.ts";
import { webauthnSettings } from "../passkey/settings.ts";
import { startMetricsListener } from "../http/metrics-listener.ts";
import { registerDatabaseGauges } from "../prometheus/database-gauges.ts";
import { ServerMetrics } from "../prometheus/registry.ts";
import { StatusEntries } from "../status-list/allocate.ts";
import { openDatabase, type DatabaseHandle } from "./database.ts";
import { createKeyStore } from "../keys/purposes.ts";
import { startEmbeddedUpkeep, startMaintenance } from "./maintenance.ts";
import { resolveSecret } from "./secret.ts";
import { startupSteps } from "./steps.ts";
import { startWorker } from "./worker.ts";

export interface RunningServer {
  /** The base URL the server answers on. */
  url: string;
  port: number;
  ctx: ServerContext;
  /** Stops accepting, lets in-flight requests finish, then closes the database. */
  close(): Promise<void>;
  /** Settles with the reason if the database went away for good; the server cannot go on. */
  lost: Promise<string>;
  /** `/metrics` on its own listener, when `metrics.port` is set. */
  metricsUrl?: string;
}

const DRAIN_TIMEOUT_MS = 10_000;
/**
 * Bounds on the start-up steps that wait on something (a database, a socket): a step that hangs
 * fails the start with its name instead of leaving a half-started process. Opening the embedded
 * database includes waiting up to 10 s for the previous holder of its directory to let go.
 */
const OPEN_DATABASE_TIMEOUT_MS = 60_000;
const STEP_TIMEOUT_MS = 30_000;
const CLEANUP_TIMEOUT_MS = 15_000;

export interface StartOptions {
  log?: Logger;
  /** A database opened by the caller (tests); by default the configured one is opened. */
  database?: DatabaseHandle;
  /** Apply pending migrations first (default true). */
  migrate?: boolean;
}

export async function startServer(config: Config, options: StartOptions = {}): Promise<RunningServer> {
  const log = options.log ?? createLogger(config);
  const started = performance.now();
  const steps = startupSteps(log);
  logConfigWarnings(config, log);
  const step = steps.run;
  const secret = resolveSecret(config);
  const database =
    options.database ??
    (await step("open database", () => openDatabase(config, { ownProcess: true }), OPEN_DATABASE_TIMEOUT_MS));
  const cleanups: Array<() => Promise<void>> = [database.close];
  const closeAll = async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  };
  try {
    if (options.migrate !== false) {
      // Unbounded: a migration of a large database may rightly take long (it is logged while slow).
      const applied = await step("migrations", () => migrate(database.url), undefined);
      if (applied.length) log.info({ applied }, "applied database migrations");
    }
    const metrics = new ServerMetrics();
    const db = createDb(database.url, database.poolSize, { embedded: database.embedded, observer: metrics });
    cleanups.push(() => db.$disconnect());
    // Other instances may share a PostgreSQL; the embedded database has this process only.
    if (!database.embedded) cleanups.push(listenForChanges(database.url, log).close);

    const keys = createKeyStore(config, db);
    await step("signing keys", () => keys.init(), STEP_TIMEOUT_MS);

    const http = await step("http listen", () => listen(config), STEP_TIMEOUT_MS);
    cleanups.push(http.close);
    const port = (http.server.address() as AddressInfo).port;
    const url = publicUrl(config, port);
    const identity = await step("identity services", () => startIdentityServices(config, url, log), STEP_TIMEOUT_MS);
    cleanups.push(identity.close);
    const ctx: ServerContext = {
      config,
      db,
      log,
      secret,
      publicUrl: url,
      keys,
      identity: identity.services,
      webauthn: webauthnSettings(config, url),
      statusEntries: new StatusEntries(db, config.statusList.size),
      logSigner: new LogSigner(keys, logOrigin(config.audit.origin, url)),
      metrics,
    };
    registerDatabaseGauges(metrics.registry, db, log);
    const checkpoints = await step(
      "log checkpoint",
      () => startCheckpointSchedule(ctx, config.audit.checkpointIntervalSeconds * 1000),
      STEP_TIMEOUT_MS,
    );
    cleanups.push(checkpoints.stop);
    http.server.on("request", createApp(ctx));
    let metricsUrl: string | undefined;
    if (config.metrics.port !== undefined) {
      const listener = await step(
        "metrics listen",
        () => startMetricsListener(config.metrics, metrics, url, log),
        STEP_TIMEOUT_MS,
      );
      cleanups.push(listener.close);
      metricsUrl = listener.url;
    }

    const maintenance = startMaintenance(ctx);
    cleanups.push(maintenance.stop);

    if (database.embedded) {
      cleanups.push(startEmbeddedUpkeep(ctx).stop);
      const channel = await step("operator channel", () => startOperatorChannel(config.dataDir, ctx), STEP_TIMEOUT_MS);
      cleanups.push(channel.close);
    }
    if (config.worker.enabled) cleanups.push(startWorker(ctx, database).close);
    log.info(
      {
        url: ctx.publicUrl,
        database: database.embedded ? "embedded" : "postgresql",
        startupMs: Math.round(performance.now() - started),
        steps: steps.durations,
      },
      "vergewis is listening",
    );
    return {
      url: ctx.publicUrl,
      port,
      ctx,
      close: closeAll,
      lost: database.lost ?? new Promise(() => {}),
      ...(metricsUrl && { metricsUrl }),
    };
  } catch (error) {
    // What failed may hold a connection that never comes back (a step that timed out), and closing
    // the pool waits for it: the cleanup is a bounded step of its own. The start-up error is what
    // the caller needs to see, so a cleanup that fails or hangs is only logged (by the step).
    await step("close after a failed start", closeAll, CLEANUP_TIMEOUT_MS).catch(() => {});
    throw error;
  }
}

async function listen(config: Config): Promise<{ server: Server; close(): Promise<void> }> {
  const server = createServer({
    requestTimeout: config.http.requestTimeoutMs,
    headersTimeout: config.http.headersTimeoutMs,
    keepAliveTimeout: 5_000,
    // How often Node checks those timeouts (default 30 s, which would let slow clients linger).
    connectionsCheckingInterval: 1_000,
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(config.http.port, config.http.host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  return {
    server,
    close: () =>
      new Promise<void>((resolve) => {
        const force = setTimeout(() => server.closeAllConnections(), DRAIN_TIMEOUT_MS).unref();
        server.close(() => {
          clearTimeout(force);
          resolve();
        });
        server.closeIdleConnections();
      }),
  };
}

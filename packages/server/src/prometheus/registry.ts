import type { Pool } from "pg";
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from "prom-client";

/** Request durations in seconds: API calls take milliseconds, page loads with signatures more. */
const HTTP_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
/** Webhook sends: bounded by the send timeout (at most 60 s). */
const WEBHOOK_BUCKETS = [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

const WEBHOOK_OUTCOMES = ["delivered", "retrying", "dead", "superseded"] as const;

/**
 * One server's Prometheus registry and the series its code feeds as things happen. Series read
 * from the database are added at scrape time (`database-gauges.ts`). A registry of its own, not
 * prom-client's global one: a process may run several servers (tests, the local system).
 */
export class ServerMetrics {
  readonly registry = new Registry();

  readonly httpRequestDuration = new Histogram({
    name: "vergewis_http_request_duration_seconds",
    help: "HTTP requests by method, Express route pattern (unmatched: no route answered) and status.",
    labelNames: ["method", "route", "status"] as const,
    buckets: HTTP_BUCKETS,
    registers: [this.registry],
  });

  readonly webhookAttempts = new Counter({
    name: "vergewis_webhook_attempts_total",
    help: "Webhook delivery attempts by what became of the delivery: delivered, retrying, dead, or superseded (another worker took it over).",
    labelNames: ["outcome"] as const,
    registers: [this.registry],
  });

  readonly webhookDuration = new Histogram({
    name: "vergewis_webhook_attempt_duration_seconds",
    help: "Time from sending a webhook to the receiver's answer (or the failure), by outcome.",
    labelNames: ["outcome"] as const,
    buckets: WEBHOOK_BUCKETS,
    registers: [this.registry],
  });

  readonly databaseQueryErrors = new Counter({
    name: "vergewis_db_query_errors_total",
    help: "Database statements that failed, by SQLSTATE (`none`: no answer, e.g. the connection was lost or timed out).",
    labelNames: ["code"] as const,
    registers: [this.registry],
  });

  constructor() {
    // Memory, CPU, event-loop lag, GC and handles of this process.
    collectDefaultMetrics({ register: this.registry });
    // Series that exist from the start, at 0, so that rates and alerts see their first event.
    for (const outcome of WEBHOOK_OUTCOMES) {
      this.webhookAttempts.inc({ outcome }, 0);
      this.webhookDuration.zero({ outcome });
    }
    this.databaseQueryErrors.inc({ code: "none" }, 0);
  }

  /** A finished webhook attempt (`durationMs` undefined: not sent, the endpoint was gone). */
  webhookAttempt = (outcome: string, durationMs: number | undefined): void => {
    this.webhookAttempts.inc({ outcome });
    if (durationMs !== undefined) this.webhookDuration.observe({ outcome }, durationMs / 1000);
  };

  /** A statement that failed. */
  queryError = (error: unknown): void => {
    const code = (error as { code?: unknown } | null)?.code;
    this.databaseQueryErrors.inc({ code: typeof code === "string" && /^[0-9A-Z]{5}$/.test(code) ? code : "none" });
  };

  /** The pool's connections, read at scrape time. */
  observePool(pool: Pool, max: number): void {
    new Gauge({
      name: "vergewis_db_pool_connections",
      help: "Connections of this instance's database pool: in use, idle, and the pool's maximum.",
      labelNames: ["state"] as const,
      registers: [this.registry],
      collect() {
        this.set({ state: "in_use" }, pool.totalCount - pool.idleCount);
        this.set({ state: "idle" }, pool.idleCount);
        this.set({ state: "max" }, max);
      },
    });
    new Gauge({
      name: "vergewis_db_pool_waiting",
      help: "Queries of this instance waiting for a free connection of the pool.",
      registers: [this.registry],
      collect() {
        this.set(pool.waitingCount);
      },
    });
  }
}

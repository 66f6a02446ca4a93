import { describe, expect, test } from "vitest";
import { ConfigError } from "../errors.ts";
import { configFromEnv, loadConfig } from "./load.ts";

const secret = "s".repeat(32);

describe("worker, webhook and report settings", () => {
  test("defaults: worker on, 10 s timeout, retries for 24 h, flaggers' SLA 1 h", () => {
    const config = loadConfig({});
    expect(config.worker).toEqual({ enabled: true, pollInterval: 1_000, concurrency: 16 });
    expect(config.webhooks).toMatchObject({
      timeout: 10_000,
      retryInitialDelay: 5_000,
      retryMaxDelay: 3_600_000,
      retryWindow: 86_400_000,
    });
    expect(config.webhooks.allowLoopbackHttp).toBeUndefined();
    expect(config.takedowns.overdueNoticeInterval).toBe(3_600_000);
    expect(config.reports).toEqual({ trustedFlaggerSla: 3_600_000, rateLimit: 10, rateLimitWindow: 900_000 });
  });

  test("durations from the environment take a unit", () => {
    const config = loadConfig(
      configFromEnv({
        VERGEWIS_WORKER: "false",
        VERGEWIS_WORKER_POLL_INTERVAL: "250ms",
        VERGEWIS_WEBHOOK_TIMEOUT: "5s",
        VERGEWIS_WEBHOOK_RETRY_MAX_DELAY: "2m",
        VERGEWIS_WEBHOOK_RETRY_WINDOW: "1.5d",
        VERGEWIS_OVERDUE_NOTICE_INTERVAL: "30m",
        VERGEWIS_TRUSTED_FLAGGER_SLA: "2h",
        VERGEWIS_REPORT_RATE_LIMIT: "50",
      }),
    );
    expect(config.worker).toMatchObject({ enabled: false, pollInterval: 250 });
    expect(config.webhooks).toMatchObject({ timeout: 5_000, retryMaxDelay: 120_000, retryWindow: 129_600_000 });
    expect(config.takedowns.overdueNoticeInterval).toBe(1_800_000);
    expect(config.reports).toMatchObject({ trustedFlaggerSla: 7_200_000, rateLimit: 50 });
  });

  test.each([
    ["VERGEWIS_WEBHOOK_TIMEOUT", "10 seconds"],
    ["VERGEWIS_WEBHOOK_TIMEOUT", "5m"],
    ["VERGEWIS_WORKER_POLL_INTERVAL", "1ms"],
    ["VERGEWIS_WORKER_CONCURRENCY", "0"],
    ["VERGEWIS_WORKER", "maybe"],
  ])("refuses %s=%s, naming the variable", (name, value) => {
    expect(() => loadConfig(configFromEnv({ [name]: value }))).toThrow(new RegExp(name));
  });

  test("production refuses http webhooks and retry windows under 24 hours", () => {
    // Other production requirements (keys, issuer) may be missing here: only these pointers matter.
    const production = { NODE_ENV: "production", VERGEWIS_SECRET: secret };
    const pointers = (env: Record<string, string>) => {
      try {
        loadConfig(configFromEnv(env));
        return [];
      } catch (error) {
        return (error as ConfigError).issues.map((i) => i.pointer);
      }
    };
    const loopback = "webhooks.allowLoopbackHttp (VERGEWIS_WEBHOOK_ALLOW_LOOPBACK_HTTP)";
    const window = "webhooks.retryWindow (VERGEWIS_WEBHOOK_RETRY_WINDOW)";
    expect(pointers(production)).not.toContain(loopback);
    expect(pointers(production)).not.toContain(window);
    expect(pointers({ ...production, VERGEWIS_WEBHOOK_ALLOW_LOOPBACK_HTTP: "true" })).toContain(loopback);
    expect(pointers({ ...production, VERGEWIS_WEBHOOK_RETRY_WINDOW: "1h" })).toContain(window);
    expect(pointers({ ...production, VERGEWIS_WEBHOOK_RETRY_WINDOW: "25h" })).not.toContain(window);
    expect(loadConfig(configFromEnv({ VERGEWIS_WEBHOOK_ALLOW_LOOPBACK_HTTP: "true" })).webhooks.allowLoopbackHttp).toBe(
      true,
    );
  });
});

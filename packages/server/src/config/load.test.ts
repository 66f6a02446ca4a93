import { describe, expect, test } from "vitest";
import { ConfigError } from "../errors.ts";
import { configFromEnv, loadConfig, publicUrl } from "./load.ts";

describe("configuration", () => {
  test("safe defaults", () => {
    const config = loadConfig({}, {});
    expect(config).toMatchObject({
      mode: "development",
      dataDir: "./.vergewis",
      http: { host: "127.0.0.1", port: 8080, trustProxy: false },
      database: { poolSize: 10 },
      logLevel: "info",
      invitations: { ttlDays: 14 },
    });
    expect(config.database.url).toBeUndefined();
    expect(publicUrl(config)).toBe("http://localhost:8080");
  });

  test("environment variables map onto settings; empty values count as unset", () => {
    const config = loadConfig(
      configFromEnv({
        VERGEWIS_PORT: "9000",
        VERGEWIS_PUBLIC_URL: "https://vergewis.example/",
        DATABASE_URL: "postgresql://u@db.internal:5432/vergewis",
        VERGEWIS_TRUST_PROXY: "true",
        VERGEWIS_HOST: "",
      }),
    );
    expect(config.http).toMatchObject({ port: 9000, host: "127.0.0.1", trustProxy: true });
    expect(config.database.url).toBe("postgresql://u@db.internal:5432/vergewis");
    expect(publicUrl(config)).toBe("https://vergewis.example");
  });

  test("flags win over the environment", () => {
    const config = loadConfig(configFromEnv({ VERGEWIS_PORT: "9000" }), { http: { port: 9100 } });
    expect(config.http.port).toBe(9100);
  });

  test("every invalid setting is named with its environment variable", () => {
    const error = (() => {
      try {
        loadConfig(configFromEnv({ VERGEWIS_PORT: "-1", VERGEWIS_SECRET: "short", VERGEWIS_INVITATION_TTL_DAYS: "0" }));
      } catch (e) {
        return e as ConfigError;
      }
    })();
    expect(error).toBeInstanceOf(ConfigError);
    expect(error!.issues.map((i) => i.pointer)).toEqual([
      "http.port (VERGEWIS_PORT)",
      "secret (VERGEWIS_SECRET)",
      "invitations.ttlDays (VERGEWIS_INVITATION_TTL_DAYS)",
    ]);
  });

  test("unknown settings are refused", () => {
    expect(() => loadConfig({}, { colour: "blue" } as never)).toThrow(ConfigError);
  });

  test("production requires a secret", () => {
    expect(() => loadConfig(configFromEnv({ NODE_ENV: "production" }))).toThrow(/VERGEWIS_SECRET/);
    expect(loadConfig(configFromEnv({ NODE_ENV: "production", VERGEWIS_SECRET: "x".repeat(32) })).mode).toBe(
      "production",
    );
  });
});

import { describe, expect, test } from "vitest";
import { ConfigError } from "../errors.ts";
import { configFromEnv, loadConfig, publicUrl } from "./load.ts";

/** A complete production environment: every required setting present. */
const production = {
  NODE_ENV: "production",
  VERGEWIS_SECRET: "s".repeat(32),
  VERGEWIS_OIDC_ISSUER: "https://idp.example",
  VERGEWIS_OIDC_CLIENT_ID: "vergewis",
  VERGEWIS_ESCROW_PUBLIC_KEY: '{"kty":"EC","crv":"P-256","x":"x","y":"y"}',
  VERGEWIS_RECEIPT_SIGNING_KEY: "-----BEGIN PRIVATE KEY-----",
  VERGEWIS_LOG_SIGNING_KEY: "-----BEGIN PRIVATE KEY-----",
};

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
    expect(loadConfig(configFromEnv({ ...production, VERGEWIS_SECRET: "x".repeat(32) })).mode).toBe("production");
  });

  test("production requires a real issuer, the escrow public key, the receipt key and the log key", () => {
    const pointers = (env: Record<string, string>) => {
      try {
        loadConfig(configFromEnv(env));
        return [];
      } catch (e) {
        return (e as ConfigError).issues.map((i) => i.pointer);
      }
    };
    expect(pointers({ NODE_ENV: "production", VERGEWIS_SECRET: "x".repeat(32) })).toEqual([
      "identity.issuer (VERGEWIS_OIDC_ISSUER)",
      "identity.escrowPublicKey (VERGEWIS_ESCROW_PUBLIC_KEY)",
      "keys.receiptSigningKey (VERGEWIS_RECEIPT_SIGNING_KEY)",
      "keys.logSigningKey (VERGEWIS_LOG_SIGNING_KEY)",
    ]);
    expect(pointers({ ...production, VERGEWIS_OIDC_ISSUER: "http://idp.example" })).toEqual([
      "identity.issuer (VERGEWIS_OIDC_ISSUER)",
    ]);
    expect(pointers({ ...production, VERGEWIS_OIDC_CLIENT_ID: "" })).toEqual([
      "identity.clientId (VERGEWIS_OIDC_CLIENT_ID)",
    ]);
    // The local provider only by explicit opt-in, and then without an issuer.
    const { VERGEWIS_OIDC_ISSUER: _i, VERGEWIS_OIDC_CLIENT_ID: _c, ...local } = production;
    expect(pointers({ ...local, VERGEWIS_LOCAL_IDP_IN_PRODUCTION: "true" })).toEqual([]);
    expect(pointers({ ...production, VERGEWIS_SEAL_IDENTITY: "false", VERGEWIS_ESCROW_PUBLIC_KEY: "" })).toEqual([]);
  });

  test("identity settings: lists from the environment, eIDAS defaults, no provider at all is refused", () => {
    const config = loadConfig(
      configFromEnv({
        VERGEWIS_OIDC_ACR_VALUES: "http://eidas.europa.eu/LoA/high, urn:x",
        VERGEWIS_OIDC_SCOPES: "openid age",
      }),
    );
    expect(config.identity).toMatchObject({
      acrValues: ["http://eidas.europa.eu/LoA/high", "urn:x"],
      scopes: ["openid", "age"],
      attestationMaxAgeDays: 365,
      sealIdentity: true,
      localIdp: { enabled: true, allowInProduction: false },
    });
    expect(loadConfig({}, {}).identity.acrValues).toEqual([
      "http://eidas.europa.eu/LoA/substantial",
      "http://eidas.europa.eu/LoA/high",
    ]);
    expect(() => loadConfig(configFromEnv({ VERGEWIS_LOCAL_IDP: "false" }))).toThrow(/VERGEWIS_OIDC_ISSUER/);
  });
});

describe("VERGEWIS_TRUST_PROXY (Express `trust proxy`)", () => {
  const trustProxy = (value: string) => loadConfig(configFromEnv({ VERGEWIS_TRUST_PROXY: value })).http.trustProxy;

  test.each([
    ["1", 1],
    ["2", 2],
    ["0", 0],
    ["true", true],
    ["false", false],
    ["loopback", ["loopback"]],
    ["loopback, linklocal,uniquelocal", ["loopback", "linklocal", "uniquelocal"]],
    ["10.0.0.1", ["10.0.0.1"]],
    [
      "10.0.0.0/8, 192.168.0.0/255.255.0.0, fd00::/8, ::1",
      ["10.0.0.0/8", "192.168.0.0/255.255.0.0", "fd00::/8", "::1"],
    ],
  ])("%s → %j", (value, expected) => {
    expect(trustProxy(value)).toEqual(expected);
  });

  test.each(["yes", "-1", "1.5", "10.0.0.0/33", "loopback,", "10.0.0.1 10.0.0.2", "localhost"])(
    "%s is refused, naming the variable and what it takes",
    (value) => {
      expect(() => trustProxy(value)).toThrow(
        /http\.trustProxy \(VERGEWIS_TRUST_PROXY\): must be a number of proxies in front \(1 for one reverse proxy\), true, false, or a comma-separated list of loopback, linklocal, uniquelocal, IP addresses and CIDR ranges/,
      );
    },
  );

  test("the same values from code", () => {
    expect(loadConfig({}, { http: { trustProxy: 1 } }).http.trustProxy).toBe(1);
    expect(loadConfig({}, { http: { trustProxy: ["loopback"] } }).http.trustProxy).toEqual(["loopback"]);
    expect(() => loadConfig({}, { http: { trustProxy: -1 } })).toThrow(ConfigError);
    expect(() => loadConfig({}, { http: { trustProxy: ["nonsense"] } })).toThrow(ConfigError);
  });
});

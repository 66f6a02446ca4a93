import { z } from "zod";

const port = z.coerce.number().int().min(0).max(65535);
const bool = z
  .enum(["true", "false", "1", "0"])
  .transform((v) => v === "true" || v === "1")
  .or(z.boolean());

/**
 * The whole server configuration: one object, validated once, with safe defaults. Environment
 * variables and CLI flags are mapped onto it by `load.ts`; `ENV_NAMES` names the setting behind
 * each path so that an error message says what to fix.
 */
export const configSchema = z
  .object({
    /** `production` turns on the checks that a development machine does without. */
    mode: z.enum(["development", "production", "test"]).default("development"),
    /** Embedded state (PGlite database, generated secrets and keys) lives here. */
    dataDir: z.string().min(1).default("./.vergewis"),
    http: z
      .object({
        host: z.string().min(1).default("127.0.0.1"),
        port: port.default(8080),
        /** The URL people and platforms use to reach this server; invitation links start with it. */
        publicUrl: z.url({ protocol: /^https?$/ }).optional(),
        /** Express `trust proxy`: set when a TLS-terminating proxy sits in front. */
        trustProxy: bool.default(false),
        /** A client must send its request headers within this time (slow-loris protection). */
        headersTimeoutMs: z.coerce.number().int().min(1_000).max(120_000).default(10_000),
        /** …and its whole request within this time. */
        requestTimeoutMs: z.coerce.number().int().min(1_000).max(600_000).default(30_000),
      })
      .prefault({}),
    database: z
      .object({
        /** A real PostgreSQL. Unset: the embedded PGlite in `<dataDir>/pgdata`. */
        url: z.url({ protocol: /^postgres(ql)?$/ }).optional(),
        poolSize: z.coerce.number().int().min(1).max(100).default(10),
      })
      .prefault({}),
    /**
     * Key for HMACs over secrets and identities (≥ 32 bytes). Required in production; generated
     * and kept in `<dataDir>/secret` otherwise.
     */
    secret: z.string().min(32).optional(),
    logLevel: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
    invitations: z
      .object({
        ttlDays: z.coerce.number().int().min(1).max(90).default(14),
      })
      .prefault({}),
  })
  .strict();

export type ConfigInput = z.input<typeof configSchema>;
export type Config = z.output<typeof configSchema>;

/** The environment variable behind each setting, by dotted path. */
export const ENV_NAMES = {
  mode: "NODE_ENV",
  dataDir: "VERGEWIS_DATA_DIR",
  "http.host": "VERGEWIS_HOST",
  "http.port": "VERGEWIS_PORT",
  "http.publicUrl": "VERGEWIS_PUBLIC_URL",
  "http.trustProxy": "VERGEWIS_TRUST_PROXY",
  "http.headersTimeoutMs": "VERGEWIS_HEADERS_TIMEOUT_MS",
  "http.requestTimeoutMs": "VERGEWIS_REQUEST_TIMEOUT_MS",
  "database.url": "DATABASE_URL",
  "database.poolSize": "VERGEWIS_DATABASE_POOL_SIZE",
  secret: "VERGEWIS_SECRET",
  logLevel: "LOG_LEVEL",
  "invitations.ttlDays": "VERGEWIS_INVITATION_TTL_DAYS",
} as const;

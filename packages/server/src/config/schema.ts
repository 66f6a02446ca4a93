import { z } from "zod";
import { trustProxy } from "./trust-proxy.ts";

const port = z.coerce.number().int().min(0).max(65535);
const bool = z
  .enum(["true", "false", "1", "0"])
  .transform((v) => v === "true" || v === "1")
  .or(z.boolean());
/** A list: an array, or (from the environment) a string separated by spaces or commas. */
const list = z
  .string()
  .transform((v) => v.split(/[\s,]+/).filter(Boolean))
  .or(z.array(z.string().min(1)));

/** eIDAS levels of assurance (Commission Implementing Regulation (EU) 2015/1502) as OIDC `acr` values. */
export const EIDAS_LOA = {
  low: "http://eidas.europa.eu/LoA/low",
  substantial: "http://eidas.europa.eu/LoA/substantial",
  high: "http://eidas.europa.eu/LoA/high",
} as const;

const UNIT_MS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** A duration in milliseconds, written as a number of ms or with a unit: `250ms`, `10s`, `5m`, `24h`, `7d`. */
export const duration = z
  .union([
    z.number(),
    z
      .string()
      .regex(/^\d+(\.\d+)?(ms|s|m|h|d)?$/, "must be a duration like 500ms, 10s, 5m, 24h or 7d")
      .transform((v) => {
        const [, amount, unit] = /^([\d.]+)([a-z]*)$/.exec(v)!;
        return Math.round(Number(amount) * UNIT_MS[(unit || "ms") as keyof typeof UNIT_MS]);
      }),
  ])
  .pipe(z.number().int().nonnegative());

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
        /**
         * Express `trust proxy`: which hops in front may set `X-Forwarded-For` and
         * `X-Forwarded-Proto`. `1` behind one reverse proxy; `true` trusts every hop, so any client
         * could choose its own address.
         */
        trustProxy: trustProxy.default(false),
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
    /** Invitation mail to co-performers (nodemailer over SMTP). */
    mail: z
      .object({
        /**
         * `smtp://user:pass@host:587` (STARTTLS when offered) or `smtps://…:465`. Unset: invitation
         * mails wait in the database until it is set; `npm start` runs a local SMTP server.
         */
        smtpUrl: z.url({ protocol: /^smtps?$/, error: "must be an smtp:// or smtps:// URL" }).optional(),
        /** The sender. Default: `Vergewis <noreply@<host name of the public URL>>`. */
        from: z.string().min(3).max(320).optional(),
        /** The mail's language when neither the slot nor the request's Accept-Language names one. */
        language: z.enum(["nl", "en"]).default("nl"),
      })
      .prefault({}),
    /** Age verification (OpenID Connect) and the sealed identity. */
    identity: z
      .object({
        /** The OpenID Provider. Unset: the embedded local provider with test identities (development). */
        issuer: z.url({ protocol: /^https?$/ }).optional(),
        clientId: z.string().min(1).optional(),
        /** Unset: a public client (PKCE only, `token_endpoint_auth_method=none`). */
        clientSecret: z.string().min(1).optional(),
        /** Default: `<public URL>/portal/verify/callback`. */
        redirectUri: z.url({ protocol: /^https?$/ }).optional(),
        scopes: list.default(["openid", "profile", "age"]),
        /** `acr` values accepted as proof; also sent as `acr_values`. */
        acrValues: list.default([EIDAS_LOA.substantial, EIDAS_LOA.high]),
        /** Claims that must be present besides the age evidence, e.g. `name` for the sealed identity. */
        requiredClaims: list.default([]),
        /** An attestation older than this must be renewed before new consents can be signed. */
        attestationMaxAgeDays: z.coerce.number().int().min(1).max(3650).default(365),
        /** Seal the legal name and birthdate to the auditors' escrow key. */
        sealIdentity: bool.default(true),
        /**
         * The auditors' escrow public key (EC P-256/384/521 or X25519), as a JWK (JSON) or SPKI PEM.
         * Unset outside production: a key pair is generated in the data directory.
         */
        escrowPublicKey: z.string().min(1).optional(),
        localIdp: z
          .object({
            enabled: bool.default(true),
            /** The local provider hands out fake identities: production refuses it unless this is set. */
            allowInProduction: bool.default(false),
            /** Port on 127.0.0.1 (0: any free port). */
            port: port.default(0),
          })
          .prefault({}),
      })
      .prefault({}),
    /** Passkeys (WebAuthn). The defaults follow the public URL. */
    webauthn: z
      .object({
        /** Relying party id: the public URL's host name by default. */
        rpId: z.string().min(1).optional(),
        rpName: z.string().min(1).default("Vergewis"),
        /** Origin the portal is served from: the public URL's origin by default. */
        origin: z.url({ protocol: /^https?$/ }).optional(),
      })
      .prefault({}),
    /** Signing keys (consent receipts, status lists). */
    keys: z
      .object({
        /**
         * Key (≥ 32 bytes, base64url or text) that encrypts private keys kept in the data directory.
         * Unset: they are stored unencrypted, readable by the owner only.
         */
        encryptionKey: z.string().min(32).optional(),
        /** ES256 receipt signing key as a PKCS#8 PEM: required in production (no key files there). */
        receiptSigningKey: z.string().min(1).optional(),
        /** Ed25519 key that signs the audit log's checkpoints, as a PKCS#8 PEM: required in production. */
        logSigningKey: z.string().min(1).optional(),
      })
      .prefault({}),
    /** Requests per client IP address and minute, across all instances. */
    rateLimits: z
      .object({
        /** Passkey login (options and assertion). */
        login: z.coerce.number().int().min(1).default(10),
        /** Invitation links and typed invitation codes. */
        invitations: z.coerce.number().int().min(1).default(10),
        /** Starting an age verification. */
        verification: z.coerce.number().int().min(1).default(20),
      })
      .prefault({}),
    statusList: z
      .object({
        /** Seconds a relying party may cache a status list (`ttl`, and HTTP max-age). */
        ttlSeconds: z.coerce.number().int().min(10).max(86_400).default(300),
        /** Entries per list; large lists hide each receipt in a large herd (privacy). */
        size: z.coerce
          .number()
          .int()
          .min(1024)
          .max(1 << 20)
          .refine((n) => n % 8 === 0, "must be a multiple of 8")
          .default(1 << 16),
      })
      .prefault({}),
    audit: z
      .object({
        /**
         * The log's name in its checkpoints (C2SP tlog-checkpoint origin line, also the key name).
         * Default: `<host name of the public URL>/log`. Keep it stable: auditors pin it.
         */
        origin: z
          .string()
          .regex(
            /^[\x21-\x2a\x2c-\x7e]{1,200}$/,
            "must be visible ASCII without spaces or '+', e.g. audit.example.com/log",
          )
          .optional(),
        /** How often a checkpoint is signed when the log has grown. */
        checkpointIntervalSeconds: z.coerce.number().int().min(1).max(86_400).default(30),
      })
      .prefault({}),
    /**
     * Prometheus metrics at `/metrics`: never public. With `token`, the main listener serves them
     * to `Authorization: Bearer <token>`; with `port`, a listener of their own serves them (on
     * `host`, loopback by default), behind the token too when one is set. Neither: not served.
     */
    metrics: z
      .object({
        token: z.string().min(32).optional(),
        /** Port of the metrics listener (0: any free port). Unset: no listener of its own. */
        port: port.optional(),
        host: z.string().min(1).default("127.0.0.1"),
      })
      .prefault({}),
    /** The background worker: webhook delivery and the SLA timers. */
    worker: z
      .object({
        /** Off: this instance serves HTTP only; run `vergewis worker` (or another instance) for the rest. */
        enabled: bool.default(true),
        /** How often it looks for due work when nothing wakes it (commits that enqueue events do). */
        pollInterval: duration.pipe(z.number().min(10).max(60_000)).default(1_000),
        /** Deliveries in flight at once, per instance. */
        concurrency: z.coerce.number().int().min(1).max(256).default(16),
      })
      .prefault({}),
    webhooks: z
      .object({
        /** A receiver that has not answered within this time has failed the attempt. */
        timeout: duration.pipe(z.number().min(100).max(60_000)).default(10_000),
        /** Retries back off exponentially from this delay, with jitter, up to `retryMaxDelay`… */
        retryInitialDelay: duration.pipe(z.number().min(1)).default(5_000),
        retryMaxDelay: duration.pipe(z.number().min(1)).default(3_600_000),
        /** …for at least this long after the event; then the delivery is dead-lettered. */
        retryWindow: duration.default(86_400_000),
        /**
         * Accept `http://` endpoints on the loopback address (127.0.0.1, ::1, localhost). Default:
         * on, except in production, where it cannot be turned on.
         */
        allowLoopbackHttp: bool.optional(),
        /**
         * Deliver to private, loopback and link-local addresses (checked when connecting, so DNS
         * cannot smuggle one in). Default: off in production, on elsewhere.
         */
        allowPrivateNetworks: bool.optional(),
      })
      .prefault({}),
    takedowns: z
      .object({
        /** After the deadline, an overdue notice is sent at this interval until acknowledgement. */
        overdueNoticeInterval: duration.pipe(z.number().min(1_000)).default(3_600_000),
      })
      .prefault({}),
    reports: z
      .object({
        /** Deadline for reports from trusted flaggers (DSA art. 22), when shorter than the platform's SLA. */
        trustedFlaggerSla: duration.pipe(z.number().min(1_000)).default(3_600_000),
        /** Anonymous reports per client IP address and window, per server instance. */
        rateLimit: z.coerce.number().int().min(1).max(10_000).default(10),
        rateLimitWindow: duration.pipe(z.number().min(1_000)).default(900_000),
      })
      .prefault({}),
    /** Near-duplicate matching of perceptual hashes (PDQ, vPDQ): Meta's defaults. */
    nearDuplicates: z
      .object({
        /** The largest Hamming distance, of 256 bits, at which two hashes are the same content. */
        threshold: z.coerce.number().int().min(0).max(47).default(31),
        /** Hashes of lower PDQ quality (0–100), from flat or featureless pictures, are not matched. */
        qualityFloor: z.coerce.number().int().min(0).max(100).default(50),
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
  "mail.smtpUrl": "VERGEWIS_SMTP_URL",
  "mail.from": "VERGEWIS_MAIL_FROM",
  "mail.language": "VERGEWIS_MAIL_LANGUAGE",
  "identity.issuer": "VERGEWIS_OIDC_ISSUER",
  "identity.clientId": "VERGEWIS_OIDC_CLIENT_ID",
  "identity.clientSecret": "VERGEWIS_OIDC_CLIENT_SECRET",
  "identity.redirectUri": "VERGEWIS_OIDC_REDIRECT_URI",
  "identity.scopes": "VERGEWIS_OIDC_SCOPES",
  "identity.acrValues": "VERGEWIS_OIDC_ACR_VALUES",
  "identity.requiredClaims": "VERGEWIS_OIDC_REQUIRED_CLAIMS",
  "identity.attestationMaxAgeDays": "VERGEWIS_ATTESTATION_MAX_AGE_DAYS",
  "identity.sealIdentity": "VERGEWIS_SEAL_IDENTITY",
  "identity.escrowPublicKey": "VERGEWIS_ESCROW_PUBLIC_KEY",
  "identity.localIdp.enabled": "VERGEWIS_LOCAL_IDP",
  "identity.localIdp.allowInProduction": "VERGEWIS_LOCAL_IDP_IN_PRODUCTION",
  "identity.localIdp.port": "VERGEWIS_LOCAL_IDP_PORT",
  "webauthn.rpId": "VERGEWIS_WEBAUTHN_RP_ID",
  "webauthn.rpName": "VERGEWIS_WEBAUTHN_RP_NAME",
  "webauthn.origin": "VERGEWIS_WEBAUTHN_ORIGIN",
  "keys.encryptionKey": "VERGEWIS_KEY_ENCRYPTION_KEY",
  "keys.receiptSigningKey": "VERGEWIS_RECEIPT_SIGNING_KEY",
  "keys.logSigningKey": "VERGEWIS_LOG_SIGNING_KEY",
  "rateLimits.login": "VERGEWIS_RATE_LIMIT_LOGIN",
  "rateLimits.invitations": "VERGEWIS_RATE_LIMIT_INVITATIONS",
  "rateLimits.verification": "VERGEWIS_RATE_LIMIT_VERIFICATION",
  "statusList.ttlSeconds": "VERGEWIS_STATUS_LIST_TTL_SECONDS",
  "statusList.size": "VERGEWIS_STATUS_LIST_SIZE",
  "audit.origin": "VERGEWIS_LOG_ORIGIN",
  "audit.checkpointIntervalSeconds": "VERGEWIS_LOG_CHECKPOINT_INTERVAL_SECONDS",
  "metrics.token": "VERGEWIS_METRICS_TOKEN",
  "metrics.port": "VERGEWIS_METRICS_PORT",
  "metrics.host": "VERGEWIS_METRICS_HOST",
  "worker.enabled": "VERGEWIS_WORKER",
  "worker.pollInterval": "VERGEWIS_WORKER_POLL_INTERVAL",
  "worker.concurrency": "VERGEWIS_WORKER_CONCURRENCY",
  "webhooks.timeout": "VERGEWIS_WEBHOOK_TIMEOUT",
  "webhooks.retryInitialDelay": "VERGEWIS_WEBHOOK_RETRY_INITIAL_DELAY",
  "webhooks.retryMaxDelay": "VERGEWIS_WEBHOOK_RETRY_MAX_DELAY",
  "webhooks.retryWindow": "VERGEWIS_WEBHOOK_RETRY_WINDOW",
  "webhooks.allowLoopbackHttp": "VERGEWIS_WEBHOOK_ALLOW_LOOPBACK_HTTP",
  "webhooks.allowPrivateNetworks": "VERGEWIS_WEBHOOK_ALLOW_PRIVATE_NETWORKS",
  "takedowns.overdueNoticeInterval": "VERGEWIS_OVERDUE_NOTICE_INTERVAL",
  "reports.trustedFlaggerSla": "VERGEWIS_TRUSTED_FLAGGER_SLA",
  "reports.rateLimit": "VERGEWIS_REPORT_RATE_LIMIT",
  "reports.rateLimitWindow": "VERGEWIS_REPORT_RATE_LIMIT_WINDOW",
  "nearDuplicates.threshold": "VERGEWIS_NEAR_DUPLICATE_THRESHOLD",
  "nearDuplicates.qualityFloor": "VERGEWIS_NEAR_DUPLICATE_QUALITY_FLOOR",
} as const;

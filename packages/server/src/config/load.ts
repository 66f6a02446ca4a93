import { ConfigError, type FieldIssue } from "../errors.ts";
import { configSchema, ENV_NAMES, type Config, type ConfigInput } from "./schema.ts";

type Env = Record<string, string | undefined>;

/** Builds the raw configuration from environment variables (empty values count as unset). */
export function configFromEnv(env: Env = process.env): ConfigInput {
  const raw: Record<string, unknown> = {};
  for (const [path, name] of Object.entries(ENV_NAMES)) {
    const value = env[name];
    if (value === undefined || value === "") continue;
    setPath(raw, path, value);
  }
  return raw as ConfigInput;
}

/**
 * Validates a configuration; `overrides` (CLI flags, tests) win over `base` (usually the
 * environment). Throws ConfigError naming each invalid setting and its environment variable.
 */
export function loadConfig(base: ConfigInput = configFromEnv(), overrides: ConfigInput = {}): Config {
  const result = configSchema.safeParse(merge(base, overrides));
  if (!result.success) {
    throw new ConfigError(
      result.error.issues.map((issue): FieldIssue => {
        const path = issue.path.join(".");
        const env = (ENV_NAMES as Record<string, string>)[path];
        return { pointer: env ? `${path} (${env})` : path || "(root)", reason: issue.message };
      }),
    );
  }
  const config = result.data;
  const issues = [...identityIssues(config), ...(config.mode === "production" ? productionIssues(config) : [])];
  if (issues.length) throw new ConfigError(issues);
  return config;
}

const issue = (path: keyof typeof ENV_NAMES, reason: string): FieldIssue => ({
  pointer: `${path} (${ENV_NAMES[path]})`,
  reason,
});

function identityIssues(config: Config): FieldIssue[] {
  const { identity } = config;
  if (identity.issuer) return identity.clientId ? [] : [issue("identity.clientId", "required with an external issuer")];
  if (!identity.localIdp.enabled) {
    return [
      issue("identity.issuer", "required when the local identity provider is off: performers must verify their age"),
    ];
  }
  return [];
}

/** What a development machine does without and production must not. */
function productionIssues(config: Config): FieldIssue[] {
  const issues: FieldIssue[] = [];
  if (!config.secret) issues.push(issue("secret", "required in production"));
  const { identity } = config;
  if (!identity.issuer && !identity.localIdp.allowInProduction) {
    issues.push(
      issue(
        "identity.issuer",
        `required in production: the local identity provider hands out test identities (${ENV_NAMES["identity.localIdp.allowInProduction"]}=true runs it anyway)`,
      ),
    );
  }
  if (identity.issuer?.startsWith("http:")) issues.push(issue("identity.issuer", "must be https in production"));
  if (identity.sealIdentity && !identity.escrowPublicKey) {
    issues.push(
      issue(
        "identity.escrowPublicKey",
        "required in production while the identity is sealed: the auditors' public key",
      ),
    );
  }
  if (!config.keys.receiptSigningKey) {
    issues.push(issue("keys.receiptSigningKey", "required in production: the receipt signing key as a PKCS#8 PEM"));
  }
  if (!config.keys.logSigningKey) {
    issues.push(issue("keys.logSigningKey", "required in production: the audit log's Ed25519 key as a PKCS#8 PEM"));
  }
  if (config.webhooks.allowLoopbackHttp) {
    issues.push(issue("webhooks.allowLoopbackHttp", "not allowed in production: webhooks must use https"));
  }
  if (config.webhooks.retryWindow < 86_400_000)
    issues.push(issue("webhooks.retryWindow", "at least 24h in production"));
  return issues;
}

/** The public URL, defaulting to the local address (`localhost`, so that passkeys work on it). */
export function publicUrl(config: Config, port = config.http.port): string {
  return (config.http.publicUrl ?? `http://localhost:${port}`).replace(/\/+$/, "");
}

function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const keys = path.split(".");
  let node = target;
  for (const key of keys.slice(0, -1)) node = (node[key] ??= {}) as Record<string, unknown>;
  node[keys.at(-1)!] = value;
}

function merge(a: unknown, b: unknown): unknown {
  if (isPlain(a) && isPlain(b)) {
    const out: Record<string, unknown> = { ...a };
    for (const [k, v] of Object.entries(b)) out[k] = merge(a[k], v);
    return out;
  }
  return b === undefined ? a : b;
}

const isPlain = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

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
  if (config.mode === "production" && !config.secret) {
    throw new ConfigError([{ pointer: `secret (${ENV_NAMES.secret})`, reason: "required in production" }]);
  }
  return config;
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

import path from "node:path";
import { z } from "zod";

const MiB = 1024 * 1024;

/** The example platform's settings, with the environment variable behind each. */
export const exampleConfigSchema = z.strictObject({
  /** Where the Vergewis server answers (`VERGEWIS_URL`). */
  vergewisUrl: z.url({ protocol: /^https?$/ }),
  /** This platform's Vergewis API key (`VERGEWIS_API_KEY`). */
  apiKey: z.string().min(1),
  /** The upload database and the uploaded files (`EXAMPLE_DATA_DIR`, default `./.example-platform`). */
  dataDir: z
    .string()
    .min(1)
    .default("./.example-platform")
    .transform((dir) => path.resolve(dir)),
  /** `EXAMPLE_HOST`, default 127.0.0.1. */
  host: z.string().min(1).default("127.0.0.1"),
  /** `EXAMPLE_PORT`, default 3000; 0 picks a free port. */
  port: z.coerce.number().int().min(0).max(65535).default(3000),
  /** Largest accepted upload in bytes (`EXAMPLE_MAX_UPLOAD_BYTES`, default 512 MiB). */
  maxUploadBytes: z.coerce
    .number()
    .int()
    .min(1)
    .default(512 * MiB),
  /**
   * How long a gate decision may be reused, in ms (`EXAMPLE_GATE_CACHE_MS`, default 5000; 0: ask
   * Vergewis on every view). A revoked upload stays visible for at most this long.
   */
  gateCacheMs: z.coerce.number().int().min(0).max(300_000).default(5_000),
  /**
   * Where Vergewis reaches this platform (`EXAMPLE_PUBLIC_URL`, default the address it listens
   * on); webhooks go to `<publicUrl>/webhooks/vergewis`.
   */
  publicUrl: z.url({ protocol: /^https?$/ }).optional(),
  /**
   * The webhook endpoint's signing secret (`EXAMPLE_WEBHOOK_SECRET`, `whsec_…`), when the endpoint
   * was registered by hand. Without it the platform registers its endpoint itself on start and
   * keeps the secret in its database.
   */
  webhookSecret: z
    .string()
    .regex(/^whsec_[A-Za-z0-9+/]+={0,2}$/, "must be a whsec_ secret")
    .optional(),
  /**
   * How often open takedowns are fetched, in ms, in case a webhook was missed
   * (`EXAMPLE_TAKEDOWN_POLL_MS`, default 60000; 0: never).
   */
  takedownPollMs: z.coerce.number().int().min(0).default(60_000),
});

export type ExampleConfigInput = z.input<typeof exampleConfigSchema>;
export type ExampleConfig = z.output<typeof exampleConfigSchema>;

export const ENV_NAMES: Record<keyof ExampleConfigInput, string> = {
  vergewisUrl: "VERGEWIS_URL",
  apiKey: "VERGEWIS_API_KEY",
  dataDir: "EXAMPLE_DATA_DIR",
  host: "EXAMPLE_HOST",
  port: "EXAMPLE_PORT",
  maxUploadBytes: "EXAMPLE_MAX_UPLOAD_BYTES",
  gateCacheMs: "EXAMPLE_GATE_CACHE_MS",
  publicUrl: "EXAMPLE_PUBLIC_URL",
  webhookSecret: "EXAMPLE_WEBHOOK_SECRET",
  takedownPollMs: "EXAMPLE_TAKEDOWN_POLL_MS",
};

/** The settings from environment variables; throws an Error naming each bad variable. */
export function configFromEnv(env: Record<string, string | undefined> = process.env): ExampleConfig {
  const raw = Object.fromEntries(
    Object.entries(ENV_NAMES).flatMap(([key, name]) => (env[name] ? [[key, env[name]]] : [])),
  );
  const result = exampleConfigSchema.safeParse(raw);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const key = issue.path[0] as keyof ExampleConfigInput | undefined;
    return `${key ? ENV_NAMES[key] : "(settings)"}: ${issue.message}`;
  });
  throw new Error(`Invalid example platform settings:\n  ${problems.join("\n  ")}`);
}

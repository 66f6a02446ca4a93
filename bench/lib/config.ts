import { randomBytes } from "node:crypto";
import { loadConfig } from "../../packages/server/src/config/load.ts";
import type { Config } from "../../packages/server/src/config/schema.ts";

/**
 * A server on embedded PGlite in `dataDir`, on 127.0.0.1, silent, with rate limits out of the way:
 * a benchmark measures the work, not the limiter.
 */
export const benchServerConfig = (dataDir: string): Config =>
  loadConfig(
    {},
    {
      mode: "test",
      dataDir,
      secret: randomBytes(32).toString("base64url"),
      logLevel: "silent",
      http: { host: "127.0.0.1", port: 0 },
      rateLimits: { login: 1e6, invitations: 1e6, verification: 1e6 },
    },
  );

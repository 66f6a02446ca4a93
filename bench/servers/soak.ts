// The server under soak, in its own process so that its RSS is its own: Vergewis in test mode
// (the embedded local identity provider verifies the performers' ages) on the embedded database
// in BENCH_DATA_DIR, or on DATABASE_URL. Rate limits are lifted: every request comes from
// 127.0.0.1. Prints one JSON line when ready; warnings and errors go to BENCH_LOG_FILE.
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import { issueAuditorToken } from "../../packages/server/src/audit/auditor-token.ts";
import { loadConfig } from "../../packages/server/src/config/load.ts";
import { createLogger } from "../../packages/server/src/log.ts";
import { createPlatform } from "../../packages/server/src/platform/create.ts";
import { startServer } from "../../packages/server/src/runtime/start.ts";

const config = loadConfig(
  {},
  {
    mode: "test",
    dataDir: process.env.BENCH_DATA_DIR!,
    secret: randomBytes(32).toString("base64url"),
    logLevel: "warn",
    http: { host: "127.0.0.1", port: 0 },
    rateLimits: { login: 1e6, invitations: 1e6, verification: 1e6 },
    ...(process.env.DATABASE_URL && { database: { url: process.env.DATABASE_URL } }),
  },
);
const server = await startServer(config, {
  log: createLogger(config, fs.createWriteStream(process.env.BENCH_LOG_FILE!)),
  migrate: false,
});
const platform = await createPlatform(server.ctx.db, { name: "Soak platform" });
const other = await createPlatform(server.ctx.db, { name: "Other platform" });
const { token } = await issueAuditorToken(server.ctx.db, { platformId: platform.id });

console.log(
  JSON.stringify({
    url: server.url,
    platformId: platform.id,
    apiKey: platform.apiKey,
    otherApiKey: other.apiKey,
    auditorToken: token,
  }),
);

process.once("SIGTERM", async () => {
  await server.close();
  process.exit(0);
});

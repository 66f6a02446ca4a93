// A Vergewis server on a given database (BENCH_DATABASE_URL, already holding a log), in its own
// process for the export and verification benchmarks. Prints one JSON line when ready.
import { generateKeyPairSync, randomBytes, type KeyObject } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { issueAuditorToken } from "../../packages/server/src/audit/auditor-token.ts";
import { loadConfig } from "../../packages/server/src/config/load.ts";
import { createLogger } from "../../packages/server/src/log.ts";
import { startServer } from "../../packages/server/src/runtime/start.ts";

const pem = (key: KeyObject) => key.export({ format: "pem", type: "pkcs8" }).toString();
const config = loadConfig(
  {},
  {
    mode: "production",
    dataDir: fs.mkdtempSync(path.join(os.tmpdir(), "vergewis-bench-audit-")),
    secret: randomBytes(32).toString("base64url"),
    keys: {
      receiptSigningKey: pem(generateKeyPairSync("ec", { namedCurve: "P-256" }).privateKey),
      logSigningKey: pem(generateKeyPairSync("ed25519").privateKey),
    },
    // Production mode wants an identity provider and the escrow key: this server never verifies ages.
    identity: {
      issuer: "https://idp.example",
      clientId: "vergewis-bench",
      escrowPublicKey: JSON.stringify(
        generateKeyPairSync("ec", { namedCurve: "P-256" }).publicKey.export({ format: "jwk" }),
      ),
    },
    logLevel: "silent",
    http: { host: "127.0.0.1", port: 0 },
    database: { url: process.env.BENCH_DATABASE_URL! },
  },
);
const server = await startServer(config, { log: createLogger(config), migrate: false });
const { token } = await issueAuditorToken(server.ctx.db, { platformId: null });
console.log(JSON.stringify({ url: `http://127.0.0.1:${server.port}`, token }));

process.once("SIGTERM", async () => {
  await server.close();
  fs.rmSync(config.dataDir, { recursive: true, force: true });
  process.exit(0);
});

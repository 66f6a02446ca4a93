// The server under test, in its own process: Vergewis on embedded PGlite (or DATABASE_URL) and,
// in the same process, a bare Express JSON route as the baseline. Prints one JSON line when ready.
import { generateKeyPairSync, randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { loadConfig } from "../../packages/server/src/config/load.ts";
import { createPlatform } from "../../packages/server/src/platform/create.ts";
import { movePublication } from "../../packages/server/src/publication/state.ts";
import { startServer } from "../../packages/server/src/runtime/start.ts";
import { createLogger } from "../../packages/server/src/log.ts";
import { publicationRequest } from "../../test/support/fixtures.ts";
import { createPublication } from "../../packages/server/src/publication/create.ts";
import { publicationRequestSchema } from "@vergewis/sdk";
import { startBareServer } from "../lib/bare.ts";

// A data directory initialised by an earlier process (bench/lib/server-process.ts), as a server
// finds it after its first start; PGlite's one-off initdb would otherwise inflate the memory figure.
const dataDir = process.env.BENCH_DATA_DIR ?? fs.mkdtempSync(path.join(os.tmpdir(), "vergewis-bench-"));
const ecKey = () => generateKeyPairSync("ec", { namedCurve: "P-256" });
const config = loadConfig(
  {},
  {
    mode: "production",
    dataDir,
    secret: randomBytes(32).toString("base64url"),
    logLevel: "silent",
    http: { host: "127.0.0.1", port: 0 },
    // Production mode needs a receipt key, the log key, the auditors' escrow key and an external
    // identity provider from configuration (nothing here verifies ages: the provider is never called).
    keys: {
      receiptSigningKey: ecKey().privateKey.export({ format: "pem", type: "pkcs8" }).toString(),
      logSigningKey: generateKeyPairSync("ed25519").privateKey.export({ format: "pem", type: "pkcs8" }).toString(),
    },
    identity: {
      issuer: "https://idp.example",
      clientId: "vergewis-bench",
      escrowPublicKey: JSON.stringify(ecKey().publicKey.export({ format: "jwk" })),
    },
    ...(process.env.DATABASE_URL && { database: { url: process.env.DATABASE_URL } }),
  },
);
const server = await startServer(config, { log: createLogger(config) });

// A cleared publication to check against: the state is set through the domain layer.
const platform = await createPlatform(server.ctx.db, { name: "Bench" });
const request = publicationRequestSchema.parse(publicationRequest());
const publication = await server.ctx.db.$transaction(async (tx) => {
  const created = await createPublication(
    tx,
    { serverSecret: server.ctx.secret, publicUrl: server.url, invitationTtlDays: 14 },
    platform.id,
    request,
  );
  await movePublication(tx, created.id, "pending", "cleared");
  return created;
});

const bare = await startBareServer();

console.log(
  JSON.stringify({
    url: `http://127.0.0.1:${server.port}`,
    bareUrl: bare.url,
    apiKey: platform.apiKey,
    fingerprint: publication.contentFingerprints[0],
    database: config.database.url ? "postgresql" : "pglite",
  }),
);

process.once("SIGTERM", async () => {
  await bare.close();
  await server.close();
  process.exit(0);
});

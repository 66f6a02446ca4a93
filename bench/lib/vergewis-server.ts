import { execFileSync } from "node:child_process";
import { generateKeyPairSync, randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { startProcess, type ChildServer } from "./server-process.ts";

export interface VergewisInfo {
  url: string;
  /** A platform's API key. */
  apiKey: string;
  /** The fingerprint of a cleared publication of that platform. */
  fingerprint: { alg: "sha-256"; value: string };
  database: "pglite" | "postgresql";
}

const CLI = new URL("../../packages/server/dist/cli.js", import.meta.url).pathname;
const SEED = new URL("../servers/seed.ts", import.meta.url).pathname;

const ecKey = () => generateKeyPairSync("ec", { namedCurve: "P-256" });

/**
 * The server as it ships: the built CLI's `vergewis start` (packages/server/dist, so build it
 * first: `npm run bench` does) in production mode on embedded PGlite, or on DATABASE_URL, silent,
 * on 127.0.0.1. Its database is prepared beforehand by bench/servers/seed.ts in a process of its
 * own, so that neither PGlite's initdb nor the schema engine are in the server's memory.
 */
export async function startVergewis(): Promise<ChildServer<VergewisInfo>> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "vergewis-bench-"));
  const env = {
    NODE_ENV: "production",
    VERGEWIS_DATA_DIR: dataDir,
    VERGEWIS_SECRET: randomBytes(32).toString("base64url"),
    LOG_LEVEL: "silent",
    VERGEWIS_HOST: "127.0.0.1",
    VERGEWIS_PORT: "0",
    // Production needs a receipt key, the log key, the auditors' escrow key and an external
    // identity provider (nothing here verifies ages: the provider is never called).
    VERGEWIS_RECEIPT_SIGNING_KEY: ecKey().privateKey.export({ format: "pem", type: "pkcs8" }).toString(),
    VERGEWIS_LOG_SIGNING_KEY: generateKeyPairSync("ed25519")
      .privateKey.export({ format: "pem", type: "pkcs8" })
      .toString(),
    VERGEWIS_OIDC_ISSUER: "https://idp.example",
    VERGEWIS_OIDC_CLIENT_ID: "vergewis-bench",
    VERGEWIS_ESCROW_PUBLIC_KEY: JSON.stringify(ecKey().publicKey.export({ format: "jwk" })),
  };
  try {
    const seeded = execFileSync(process.execPath, ["--import", "tsx", SEED], {
      env: { ...process.env, BENCH_DATA_DIR: dataDir, VERGEWIS_SECRET: env.VERGEWIS_SECRET },
      encoding: "utf8",
    });
    const { apiKey, fingerprint } = JSON.parse(seeded.trim().split("\n").pop()!) as Omit<
      VergewisInfo,
      "url" | "database"
    >;
    const server = await startProcess([CLI, "start"], env, (line) => /^Vergewis API: (\S+)$/.exec(line)?.[1]);
    // It names itself localhost (its public URL by default); it listens on 127.0.0.1 only.
    const url = new URL(server.info);
    url.hostname = "127.0.0.1";
    return {
      ...server,
      info: { url: url.origin, apiKey, fingerprint, database: process.env.DATABASE_URL ? "postgresql" : "pglite" },
      async stop() {
        await server.stop();
        fs.rmSync(dataDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    fs.rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
}

import { generateKeyPairSync, randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Writable } from "node:stream";
import { loadConfig } from "../../packages/server/src/config/load.ts";
import type { ConfigInput } from "../../packages/server/src/config/schema.ts";
import { createLogger } from "../../packages/server/src/log.ts";
import { createPlatform, type CreatedPlatform } from "../../packages/server/src/platform/create.ts";
import type { DatabaseHandle } from "../../packages/server/src/runtime/database.ts";
import { startServer, type RunningServer } from "../../packages/server/src/runtime/start.ts";
import { contract, contractChecked } from "./contract.ts";
import { createTestDatabase } from "./database.ts";
import { startMailCatcher, type MailCatcher } from "./mail.ts";

export interface TestServer extends RunningServer {
  /** The database this server uses; pass it to a second server to share it (PostgreSQL only). */
  databaseUrl: string;
  /** Every log line the server wrote, parsed: for assertions about what is (not) logged. */
  logs: Array<Record<string, unknown>>;
  /** The real SMTP server on 127.0.0.1 this server mails invitations to (unless `mail.smtpUrl` was given). */
  mail: MailCatcher;
  /**
   * Resolves once no invitation mail of the publication waits to be sent: the worker has sent (or
   * failed) each one and written its log entry, so a test's later entries come after those.
   */
  mailSettled(publicationId: string): Promise<void>;
  createPlatform(name?: string, slaMinutes?: number): Promise<CreatedPlatform>;
}

/**
 * The real server (startServer: same assembly as `vergewis start`) on 127.0.0.1, a random port
 * and a fresh database of the project's kind (or `options.database`, such as one a test stops and
 * starts), mailing to a mail catcher of its own. Call `close()` in afterAll.
 */
export async function startTestServer(
  config: ConfigInput = {},
  options: { shareDatabaseWith?: TestServer; database?: DatabaseHandle } = {},
): Promise<TestServer> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "vergewis-test-"));
  const shared = options.shareDatabaseWith;
  const database =
    options.database ??
    (shared
      ? { url: shared.databaseUrl, poolSize: 5, embedded: false, close: async () => {} }
      : await createTestDatabase());
  const logs: Array<Record<string, unknown>> = [];
  const mail = await startMailCatcher();
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString().split("\n")) if (line) logs.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  const resolved = loadConfig(
    {},
    {
      mode: "test",
      dataDir,
      // Instances of one deployment share the secret and the log's signing key, as in production.
      secret: shared?.ctx.config.secret ?? randomBytes(32).toString("base64url"),
      logLevel: "info",
      ...config,
      mail: { smtpUrl: mail.smtpUrl, ...config.mail },
      keys: {
        logSigningKey:
          shared?.ctx.config.keys.logSigningKey ??
          generateKeyPairSync("ed25519").privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
        ...config.keys,
      },
      http: { host: "127.0.0.1", port: 0, ...config.http },
    },
  );
  const server = await startServer(resolved, { database, migrate: false, log: createLogger(resolved, sink) }).catch(
    async (error: unknown) => {
      await mail.close();
      throw error;
    },
  );
  // Every answer of an API suite's server is checked against the OpenAPI document.
  const watch = contractChecked() ? contract().watch(server) : undefined;
  return {
    ...server,
    databaseUrl: database.url,
    logs,
    mail,
    async mailSettled(publicationId: string) {
      for (const deadline = Date.now() + 30_000; Date.now() < deadline; ) {
        const waiting = await server.ctx.db.invitationMail.count({
          where: { status: { in: ["pending", "retrying"] }, slot: { publicationId } },
        });
        if (waiting === 0) return;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      throw new Error("invitation mails still waiting after 30 s");
    },
    createPlatform: (name = "Test platform", slaMinutes?: number) =>
      createPlatform(server.ctx.db, { name, ...(slaMinutes !== undefined && { slaMinutes }) }),
    async close() {
      await server.close();
      await mail.close();
      watch?.stop();
      fs.rmSync(dataDir, { recursive: true, force: true });
      if (watch?.violations.length)
        throw new Error(`Answers that break the OpenAPI document:\n${watch.violations.join("\n")}`);
    },
  };
}

import path from "node:path";
import { configFromEnv, loadConfig, startServer, type ConfigInput, type RunningServer } from "@vergewis/server";
import { startExample, type RunningExample } from "@vergewis/examples";
import { ensureCredentials, type Credentials } from "./credentials.ts";
import { startMailCatcher, type MailCatcher } from "./mail-catcher.ts";

export interface SystemOptions {
  /** Environment variables for the server (its README's table), default `process.env`. */
  env?: Record<string, string | undefined>;
  /** The server's data directory (default `VERGEWIS_DATA_DIR` or `./.vergewis`); the example's is inside it. */
  dataDir?: string;
  /** The server's port (default `VERGEWIS_PORT` or 8080); 0 picks a free one. */
  port?: number;
  /** The example platform's port (default `EXAMPLE_PORT` or 3000); 0 picks a free one. */
  examplePort?: number;
  /** The caught-mail page's port (default `MAIL_PORT` or 8025); 0 picks a free one. */
  mailPort?: number;
}

export interface RunningSystem {
  server: RunningServer;
  example: RunningExample;
  credentials: Credentials;
  /** The local SMTP server that catches the invitation mails, and its page; absent with VERGEWIS_SMTP_URL. */
  mail: MailCatcher | undefined;
  /** Where the example platform keeps its database and files. */
  exampleDataDir: string;
  /** Stops the example platform, then the server (its worker, identity provider and database). */
  close(): Promise<void>;
}

/**
 * Everything on one machine, in one process: the Vergewis server (embedded PostgreSQL, local
 * identity provider, portal, auditor console, worker) and the example platform with its own API
 * key, webhook endpoint and upload database. What `npm start` runs; not a production layout.
 */
export async function startSystem(options: SystemOptions = {}): Promise<RunningSystem> {
  const env = options.env ?? process.env;
  // Invitation mails go to a real SMTP server on this machine, whose page shows them, unless an
  // SMTP server of one's own is configured.
  const mail = env.VERGEWIS_SMTP_URL
    ? undefined
    : await startMailCatcher({ httpPort: options.mailPort ?? Number(env.MAIL_PORT ?? 8025) });
  const overrides: ConfigInput = {
    ...(mail && { mail: { smtpUrl: mail.smtpUrl } }),
    // Warnings only, unless LOG_LEVEL says otherwise: the request log would bury the walkthrough.
    ...(!env.LOG_LEVEL && { logLevel: "warn" }),
    ...(options.dataDir !== undefined && { dataDir: options.dataDir }),
    ...(options.port !== undefined && { http: { port: options.port } }),
  };
  const config = loadConfig(configFromEnv(env), overrides);
  let server: RunningServer;
  try {
    server = await startServer(config);
  } catch (error) {
    await mail?.close();
    throw error;
  }
  try {
    const exampleDataDir = path.resolve(config.dataDir, "example-platform");
    const credentials = await ensureCredentials(server, path.join(exampleDataDir, "credentials.json"));
    const example = await startExample({
      vergewisUrl: server.url,
      apiKey: credentials.apiKey,
      dataDir: exampleDataDir,
      port: options.examplePort ?? env.EXAMPLE_PORT ?? 3000,
      // Webhooks carry takedowns within a second; the poll is the safety net.
      takedownPollMs: 30_000,
    });
    return {
      server,
      example,
      credentials,
      mail,
      exampleDataDir,
      async close() {
        await example.close();
        await server.close();
        await mail?.close();
      },
    };
  } catch (error) {
    await server.close();
    await mail?.close();
    throw error;
  }
}

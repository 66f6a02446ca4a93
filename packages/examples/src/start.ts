import { mkdir, rm } from "node:fs/promises";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { createGate, Vergewis } from "@vergewis/sdk";
import { createExampleApp } from "./app.ts";
import { exampleConfigSchema, type ExampleConfigInput } from "./config.ts";
import { UploadStore } from "./store.ts";

const DRAIN_TIMEOUT_MS = 5_000;

export interface RunningExample {
  url: string;
  store: UploadStore;
  /** Stops accepting requests, lets running ones finish, closes the database. */
  close(): Promise<void>;
}

/** Starts the example platform: its database in `<dataDir>/db`, its files in `<dataDir>/files`. */
export async function startExample(input: ExampleConfigInput): Promise<RunningExample> {
  const config = exampleConfigSchema.parse(input);
  const filesDir = path.join(config.dataDir, "files");
  // What a crash left half-received is of no use to anyone.
  await rm(path.join(filesDir, "incoming"), { recursive: true, force: true });
  await mkdir(filesDir, { recursive: true, mode: 0o700 });
  const store = await UploadStore.open(path.join(config.dataDir, "db"));
  const vergewis = new Vergewis({ apiKey: config.apiKey, baseUrl: config.vergewisUrl });
  const gate = createGate({
    client: vergewis,
    ...(config.gateCacheMs > 0 && { cache: { maxAgeMs: config.gateCacheMs } }),
  });
  const app = createExampleApp({ vergewis, gate, store, filesDir, maxUploadBytes: config.maxUploadBytes });
  // Long enough for a large upload on a slow line; bounds how long an oversized one is drained.
  const server = createServer({ requestTimeout: 15 * 60_000, headersTimeout: 10_000 }, app);
  try {
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(config.port, config.host, resolve);
    });
  } catch (error) {
    await store.close();
    throw error;
  }
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${config.host}:${port}`,
    store,
    async close() {
      await new Promise<void>((resolve) => {
        const force = setTimeout(() => server.closeAllConnections(), DRAIN_TIMEOUT_MS).unref();
        server.close(() => {
          clearTimeout(force);
          resolve();
        });
        server.closeIdleConnections();
      });
      await store.close();
    },
  };
}

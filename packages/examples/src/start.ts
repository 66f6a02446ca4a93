import { mkdir, rm } from "node:fs/promises";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { Vergewis } from "@vergewis/sdk";
import { ReviewLinks } from "./review/links.ts";
import { createExampleApp } from "./app.ts";
import { exampleConfigSchema, type ExampleConfigInput } from "./config.ts";
import { platformGate } from "./media/gate.ts";
import { UploadStore } from "./store.ts";
import { ensureWebhookEndpoint } from "./takedowns/endpoint.ts";
import { startTakedownPoll, type TakedownPoll } from "./takedowns/poll.ts";
import { WEBHOOK_PATH } from "./takedowns/receiver.ts";
import { takeDown } from "./takedowns/take-down.ts";

const DRAIN_TIMEOUT_MS = 5_000;
/** Vergewis's key set changes only when a key is rotated: fetched hourly, retried every minute. */
const KEY_MAX_AGE_MS = 60 * 60_000;
const KEY_RETRY_MS = 60_000;

export interface RunningExample {
  url: string;
  /** Where Vergewis sends this platform's webhooks. */
  webhookUrl: string;
  store: UploadStore;
  /** The fallback poll of open takedowns (runs every `takedownPollMs`, and once at start). */
  poll: TakedownPoll | undefined;
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
  const { gate, refreshKeys } = await platformGate({
    vergewis,
    store,
    vergewisUrl: config.vergewisUrl,
    cacheMs: config.gateCacheMs,
  });
  const remove = takeDown({ vergewis, store, gate, filesDir });
  const secrets: string[] = config.webhookSecret ? [config.webhookSecret] : [];
  // Derived from the API key: as secret, and the same after a restart, so sent links keep working.
  const reviewLinks = new ReviewLinks(config.apiKey);
  const app = createExampleApp({
    vergewis,
    gate,
    store,
    filesDir,
    maxUploadBytes: config.maxUploadBytes,
    takeDown: remove,
    webhookSecrets: () => secrets,
    reviewLinks,
    portalOrigin: new URL(config.vergewisUrl).origin,
  });
  // Long enough for a large upload on a slow line; bounds how long an oversized one is drained.
  const server = createServer({ requestTimeout: 15 * 60_000, headersTimeout: 10_000 }, app);
  let poll: TakedownPoll | undefined;
  let keyRefresh: NodeJS.Timeout | undefined;
  const close = async () => {
    clearInterval(keyRefresh);
    await poll?.stop();
    await new Promise<void>((resolve) => {
      if (!server.listening) return resolve();
      const force = setTimeout(() => server.closeAllConnections(), DRAIN_TIMEOUT_MS).unref();
      server.close(() => {
        clearTimeout(force);
        resolve();
      });
      server.closeIdleConnections();
    });
    await store.close();
  };
  try {
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(config.port, config.host, resolve);
    });
    const { port } = server.address() as AddressInfo;
    const url = `http://${config.host}:${port}`;
    const webhookUrl = new URL(WEBHOOK_PATH, config.publicUrl ?? url).href;
    reviewLinks.base = config.publicUrl ?? url;
    let keysFetchedAt = (await refreshKeys()) ? Date.now() : -Infinity;
    keyRefresh = setInterval(() => {
      if (Date.now() - keysFetchedAt < KEY_MAX_AGE_MS) return;
      void refreshKeys().then((ok) => {
        if (ok) keysFetchedAt = Date.now();
      });
    }, KEY_RETRY_MS).unref();
    if (!config.webhookSecret) secrets.push(await ensureWebhookEndpoint(vergewis, store, webhookUrl));
    if (config.takedownPollMs > 0) {
      poll = startTakedownPoll({ vergewis, takeDown: remove, intervalMs: config.takedownPollMs });
      // Whatever was requested while this platform was down.
      await poll.runOnce();
    }
    return { url, webhookUrl, store, poll, close };
  } catch (error) {
    await close();
    throw error;
  }
}

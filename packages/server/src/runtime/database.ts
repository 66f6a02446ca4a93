import path from "node:path";
import type { Config } from "../config/schema.ts";
import { spawnEmbeddedDatabase } from "../db/embedded/process.ts";

export interface DatabaseHandle {
  url: string;
  /** The embedded database has one session: the pool must hold one connection. */
  poolSize: number;
  embedded: boolean;
  /** Settles if the database goes away for good (the embedded database's process ended). */
  lost?: Promise<string>;
  close(): Promise<void>;
}

/**
 * The configured PostgreSQL, or the embedded PGlite in `<dataDir>/pgdata`: in a process of its
 * own for a long-running server (`ownProcess`), inside this one for a short command.
 */
export async function openDatabase(config: Config, options: { ownProcess?: boolean } = {}): Promise<DatabaseHandle> {
  if (config.database.url) {
    return { url: config.database.url, poolSize: config.database.poolSize, embedded: false, close: async () => {} };
  }
  const dir = path.join(config.dataDir, "pgdata");
  if (options.ownProcess) {
    const embedded = await spawnEmbeddedDatabase(dir);
    return { url: embedded.url, poolSize: 1, embedded: true, lost: embedded.lost, close: embedded.stop };
  }
  // Loaded here only: a server's database runs in its own process, and PGlite need not be in this one.
  const { startEmbeddedDatabase } = await import("../db/embedded/start.ts");
  const embedded = await startEmbeddedDatabase({ dir });
  const lost = embedded.failed.then((error) => `the embedded database failed: ${error.message}`);
  return { url: embedded.url, poolSize: 1, embedded: true, lost, close: embedded.stop };
}

import path from "node:path";
import type { Config } from "../config/schema.ts";
import { startEmbeddedDatabase } from "../db/embedded.ts";

export interface DatabaseHandle {
  url: string;
  /** The embedded database has one session: the pool must hold one connection. */
  poolSize: number;
  embedded: boolean;
  close(): Promise<void>;
}

/** The configured PostgreSQL, or the embedded PGlite in `<dataDir>/pgdata`. */
export async function openDatabase(config: Config): Promise<DatabaseHandle> {
  if (config.database.url) {
    return { url: config.database.url, poolSize: config.database.poolSize, embedded: false, close: async () => {} };
  }
  const embedded = await startEmbeddedDatabase({ dir: path.join(config.dataDir, "pgdata") });
  return { url: embedded.url, poolSize: 1, embedded: true, close: embedded.stop };
}

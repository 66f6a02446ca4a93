import type { Logger } from "pino";
import type { Config } from "./config/schema.ts";
import type { Db } from "./db/client.ts";

/** What request handlers and workers share: built once by `start`, or by a test. */
export interface ServerContext {
  config: Config;
  db: Db;
  log: Logger;
  /** Where people and platforms reach this server, without a trailing slash. */
  publicUrl: string;
  /** Key for HMACs over secrets and identities. */
  secret: Buffer;
}

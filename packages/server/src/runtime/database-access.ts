import fs from "node:fs";
import path from "node:path";
import type { Config } from "../config/schema.ts";
import { createDb, type Db } from "../db/client.ts";
import { DatabaseLockedError, NoDataDirectoryError } from "../errors.ts";
import { migrate } from "../db/migrate/migrate.ts";
import { sendOperatorCommand } from "../operator/channel.ts";
import {
  runOperatorCommand,
  type OperatorArgs,
  type OperatorCommandName,
  type OperatorResult,
} from "../operator/commands.ts";
import { openDatabase } from "./database.ts";

/** Opens the configured database for a CLI command, and closes it afterwards. */
export async function withDatabase<T>(config: Config, fn: (db: Db) => Promise<T>): Promise<T> {
  const database = await openDatabase(config);
  try {
    // The embedded database belongs to this installation: bring it up to date on first use.
    if (database.embedded) await migrate(database.url);
    const db = createDb(database.url, database.poolSize, { embedded: database.embedded });
    try {
      return await fn(db);
    } finally {
      await db.$disconnect();
    }
  } finally {
    await database.close();
  }
}

/** Runs an operator command here, or in the running server that holds the embedded database. */
export async function operatorCommand<N extends OperatorCommandName>(
  config: Config,
  name: N,
  args: OperatorArgs<N>,
): Promise<OperatorResult<N>> {
  const dataDir = path.resolve(config.dataDir);
  if (!config.database.url && !fs.existsSync(path.join(dataDir, "pgdata"))) throw new NoDataDirectoryError(dataDir);
  try {
    return await withDatabase(config, (db) => runOperatorCommand({ db, config }, name, args));
  } catch (error) {
    if (error instanceof DatabaseLockedError) return sendOperatorCommand(config.dataDir, name, args);
    throw error;
  }
}

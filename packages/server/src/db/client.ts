import { hash, randomBytes } from "node:crypto";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { PrismaClient, type Prisma } from "./generated/client.ts";

export type Db = PrismaClient & {
  /** Other processes may use the database (PostgreSQL): transactions notify them of changes. */
  readonly shared: boolean;
};
/** The client handed to a `$transaction` callback; domain functions that write take one. */
export type Tx = Prisma.TransactionClient;

const QUERY_TIMEOUT_MS = 10_000;

/** Sees the pool and every failed statement (the server's metrics). */
export interface PoolObserver {
  observePool(pool: pg.Pool, max: number): void;
  queryError(error: unknown): void;
}

export function createDb(
  url: string,
  poolSize: number,
  options: { embedded?: boolean; observer?: PoolObserver } = {},
): Db {
  const statements = options.embedded ? preparedStatements() : undefined;
  const { observer } = options;
  const pool = new pg.Pool({
    connectionString: url,
    max: poolSize,
    connectionTimeoutMillis: 5_000,
    // An established connection whose peer went silent (a network partition) would otherwise
    // hold its request until TCP gives up, minutes later; the caller gets a 503 instead.
    query_timeout: QUERY_TIMEOUT_MS,
    ...(statements && { onConnect: statements.onConnect }),
    ...(observer && { Client: observedClient(observer.queryError) }),
  });
  observer?.observePool(pool, poolSize);
  const client = new PrismaClient({
    adapter: new PrismaPg(pool, {
      disposeExternalPool: true,
      ...(statements && { statementNameGenerator: statements.name }),
    }),
    transactionOptions: { maxWait: 10_000, timeout: 15_000 },
    // Other formats capture a stack trace at every query, for a code frame in error messages.
    errorFormat: "minimal",
  });
  return Object.assign(client, { shared: !options.embedded });
}

/** A connection that reports each statement that fails; the caller still gets the error. */
function observedClient(onError: (error: unknown) => void): typeof pg.Client {
  return class extends pg.Client {
    // The pool's own `query` passes a callback; Prisma's adapter, inside transactions, a promise.
    override query(...args: unknown[]): any {
      const callback = args.at(-1);
      if (typeof callback === "function") {
        args[args.length - 1] = (error: unknown, ...rest: unknown[]) => {
          if (error) onError(error);
          return callback(error, ...rest);
        };
      }
      const result = (super.query as (...a: unknown[]) => unknown)(...args);
      if (result instanceof Promise) result.catch(onError);
      return result;
    }
  };
}

// A statement with more parameters is a bulk one (a long IN list, many rows) of varying text:
// preparing each variant would only fill the session.
const MAX_PREPARED_PARAMETERS = 32;

/**
 * On the embedded database each statement is prepared once per connection and then run by name:
 * PGlite plans every unnamed statement anew, and for most of the server's statements planning
 * costs more than running them. (Not on PostgreSQL: a migration by another instance would break
 * statements prepared before it.) PGlite has one session, which outlives the pool's connection
 * and may be shared with other clients: names carry a prefix of this client, and a new connection
 * first removes the statements an earlier one left under it.
 */
function preparedStatements() {
  const prefix = `v${randomBytes(4).toString("hex")}`;
  // Named once per statement text, not hashed again at every query (the texts are few).
  const names = new Map<string, string>();
  const nameOf = (sql: string) => {
    let name = names.get(sql);
    if (name === undefined) names.set(sql, (name = `${prefix}${hash("sha1", sql)}`));
    return name;
  };
  return {
    name: ({ sql, args }: { sql: string; args: unknown[] }) =>
      args.length > MAX_PREPARED_PARAMETERS ? "" : nameOf(sql),
    async onConnect(connection: pg.ClientBase) {
      await connection.query(`DO $$ DECLARE n text; BEGIN
        FOR n IN SELECT name FROM pg_prepared_statements WHERE name LIKE '${prefix}%' LOOP
          EXECUTE format('DEALLOCATE %I', n);
        END LOOP;
      END $$`);
    },
  };
}

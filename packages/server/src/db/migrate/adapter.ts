import { randomUUID } from "node:crypto";
import { PrismaPg } from "@prisma/adapter-pg";
import {
  ColumnTypeEnum,
  type SqlDriverAdapter,
  type SqlMigrationAwareDriverAdapterFactory,
  type SqlQuery,
  type SqlQueryable,
  type SqlResultSet,
} from "@prisma/driver-adapter-utils";

export interface ShadowDatabase {
  url: string;
  cleanup(): Promise<void>;
}

export type ShadowFactory = () => Promise<ShadowDatabase>;

export interface MigrationAdapterFactory extends SqlMigrationAwareDriverAdapterFactory {
  /** The engine never disposes its main connection: call after `engine.free()`. */
  close(): Promise<void>;
}

/** How long migrating waits for a connection: a database that never answers fails the start. */
export const CONNECT_TIMEOUT_MS = 10_000;

/**
 * Adapter factory for the schema engine. PrismaPg's own `connectToShadowDb` is unusable: with a
 * connection string it silently reuses the MAIN database as the shadow.
 */
export function migrationAdapterFactory(
  url: string,
  makeShadow: ShadowFactory = () => temporaryDatabase(url),
): MigrationAdapterFactory {
  const main = new PrismaPg({ connectionString: url, max: 1, connectionTimeoutMillis: CONNECT_TIMEOUT_MS });
  const opened: SqlDriverAdapter[] = [];
  return {
    provider: main.provider,
    adapterName: main.adapterName,
    async connect() {
      const adapter = wholeScripts(readCharAsText(await main.connect()));
      opened.push(adapter);
      return adapter;
    },
    async close() {
      for (const adapter of opened.splice(0)) await adapter.dispose();
    },
    async connectToShadowDb() {
      const shadow = await makeShadow();
      const adapter = wholeScripts(
        readCharAsText(await new PrismaPg({ connectionString: shadow.url, max: 1 }).connect()),
      );
      const dispose = adapter.dispose.bind(adapter);
      adapter.dispose = async () => {
        await dispose();
        await shadow.cleanup();
      };
      return adapter;
    },
  };
}

/** A temporary database next to the main one (real PostgreSQL; needs CREATEDB). */
export async function temporaryDatabase(url: string): Promise<ShadowDatabase> {
  const name = `vergewis_shadow_${randomUUID().replaceAll("-", "")}`;
  const admin = await new PrismaPg({ connectionString: url, max: 1 }).connect();
  await admin.executeScript(`CREATE DATABASE "${name}"`);
  const shadowUrl = new URL(url);
  shadowUrl.pathname = `/${name}`;
  return {
    url: shadowUrl.toString(),
    async cleanup() {
      try {
        await admin.executeScript(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      } finally {
        await admin.dispose();
      }
    },
  };
}

interface ScriptRunner {
  underlyingDriver(): { query(sql: string): Promise<unknown> };
  onError(error: unknown): never;
}

/**
 * adapter-pg 7.10 runs a migration script by splitting it at every `;`, which breaks function
 * and trigger bodies (`$$ … ; … $$`). Send the script as one simple query instead, as Prisma's
 * native engine does: PostgreSQL then runs it as a single implicit transaction.
 */
function wholeScripts(adapter: SqlDriverAdapter): SqlDriverAdapter {
  const runner = adapter as unknown as ScriptRunner;
  adapter.executeScript = async (script) => {
    try {
      await runner.underlyingDriver().query(script);
    } catch (error) {
      runner.onError(error);
    }
  };
  return adapter;
}

interface PgField {
  dataTypeID: number;
}
interface PgResult {
  fields?: PgField[];
  rows: unknown[];
}
interface PerformsIO {
  performIO(query: SqlQuery): Promise<PgResult>;
}

const PG_CHAR_OID = 18;
const PG_TEXT_OID = 25;

/**
 * adapter-pg 7.10 cannot deserialize PostgreSQL's internal `"char"` type (OID 18), which the
 * engine's introspection queries return. Let pg parse such columns as text, then report them to
 * the engine as Character (reporting Text makes the engine panic on PostgreSQL >= 17).
 */
function readCharAsText<Q extends SqlQueryable>(queryable: Q): Q {
  const charColumns = new WeakMap<unknown[], number[]>();
  const io = queryable as unknown as PerformsIO;
  const performIO = io.performIO.bind(queryable);
  io.performIO = async (query) => {
    const result = await performIO(query);
    const indices: number[] = [];
    result.fields?.forEach((field, i) => {
      if (field.dataTypeID === PG_CHAR_OID) {
        field.dataTypeID = PG_TEXT_OID;
        indices.push(i);
      }
    });
    if (indices.length) charColumns.set(result.rows, indices);
    return result;
  };
  const queryRaw = queryable.queryRaw.bind(queryable);
  queryable.queryRaw = async (query): Promise<SqlResultSet> => {
    const out = await queryRaw(query);
    for (const i of charColumns.get(out.rows) ?? []) out.columnTypes[i] = ColumnTypeEnum.Character;
    return out;
  };
  const adapter = queryable as unknown as Partial<SqlDriverAdapter>;
  if (adapter.startTransaction) {
    const startTransaction = adapter.startTransaction.bind(queryable);
    adapter.startTransaction = async (...args) => readCharAsText(await startTransaction(...args));
  }
  return queryable;
}

// Loads @prisma/schema-engine-wasm in-process. The Prisma CLI would download a native engine,
// which cannot be had offline; the wasm build of the same engine runs migrations through a
// driver adapter instead.
import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";
import * as bg from "@prisma/schema-engine-wasm/schema_engine_bg";
import type { MigrationList, SchemaEngine } from "@prisma/schema-engine-wasm";
import {
  bindMigrationAwareSqlAdapterFactory,
  type SqlMigrationAwareDriverAdapterFactory,
} from "@prisma/driver-adapter-utils";

type PanicRegistry = { set_message(message: string): void };
const globals = globalThis as typeof globalThis & { PRISMA_WASM_PANIC_REGISTRY?: PanicRegistry };
// The wasm reports Rust panics through this global; without it a panic surfaces as
// "Cannot read properties of undefined (reading 'set_message')".
globals.PRISMA_WASM_PANIC_REGISTRY ??= {
  set_message(message) {
    throw new Error(`schema engine panic: ${message}`);
  },
};

/**
 * The wasm module is a single instance per process, shared by every copy of this module (a test
 * runner may load several): its initialisation and the queue of engines live on globalThis.
 */
interface EngineState {
  ready?: Promise<void>;
  queue: Promise<unknown>;
}
const STATE = Symbol.for("vergewis.schema-engine");
const state: EngineState = ((globalThis as Record<symbol, EngineState | undefined>)[STATE] ??= {
  queue: Promise.resolve(),
});

function initWasm(): Promise<void> {
  state.ready ??= (async () => {
    // The package does not export its .wasm file: find it next to the entry point.
    const pkgDir = path.dirname(createRequire(import.meta.url).resolve("@prisma/schema-engine-wasm"));
    const bytes = fs.readFileSync(path.join(pkgDir, "schema_engine_bg.wasm"));
    const imports = { ...bg } as unknown as WebAssembly.ModuleImports;
    // The engine arms a 10 s lock timer that is never cleared; unref'd timers let the process exit.
    for (const name of Object.keys(bg)) {
      if (name.startsWith("__wbg_setTimeout_")) {
        imports[name] = (fn: () => void, ms: number) => setTimeout(fn, ms >>> 0).unref();
      }
    }
    const { instance } = await WebAssembly.instantiate(bytes, { "./schema_engine_bg.js": imports });
    const exports = instance.exports as WebAssembly.Exports & { __wbindgen_start(): void };
    (bg as unknown as { __wbg_set_wasm(wasm: WebAssembly.Exports): void }).__wbg_set_wasm(exports);
    exports.__wbindgen_start();
  })();
  return state.ready;
}

/**
 * Runs `fn` with a schema engine, one at a time per process: the wasm module is a single instance,
 * and two engines driving it concurrently corrupt its memory (seen as garbage panics).
 */
export function withSchemaEngine<T>(
  factory: SqlMigrationAwareDriverAdapterFactory & { close(): Promise<void> },
  schema: { path: string; text: string },
  fn: (engine: SchemaEngine) => Promise<T>,
): Promise<T> {
  const run = async () => {
    await initWasm();
    const engine = await bg.SchemaEngine.new(
      { datamodels: [[schema.path, schema.text]] },
      () => {},
      bindMigrationAwareSqlAdapterFactory(factory),
    );
    try {
      return await fn(engine);
    } finally {
      engine.free();
      await factory.close();
    }
  };
  const result = state.queue.then(run, run);
  state.queue = result.catch(() => undefined);
  return result;
}

export const noFilters = { externalTables: [], externalEnums: [] };

export interface RepoMigration {
  name: string;
  sql: string;
}

/** The repository's migrations, in the order Prisma applies them (lexical by directory name). */
export function readRepoMigrations(dir: string): RepoMigration[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort()
    .map((name) => ({ name, sql: fs.readFileSync(path.join(dir, name, "migration.sql"), "utf8") }));
}

/** The MigrationList shape the engine expects. */
export function migrationList(dir: string): MigrationList {
  const lockPath = path.join(dir, "migration_lock.toml");
  return {
    baseDir: path.resolve(dir),
    lockfile: {
      path: "migration_lock.toml",
      content: fs.existsSync(lockPath) ? fs.readFileSync(lockPath, "utf8") : null,
    },
    shadowDbInitScript: "",
    migrationDirectories: readRepoMigrations(dir).map((m) => ({
      path: m.name,
      migrationFile: { path: "migration.sql", content: { tag: "ok", value: m.sql } },
    })),
  };
}

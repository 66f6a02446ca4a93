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

let ready: Promise<void> | undefined;

function initWasm(): Promise<void> {
  ready ??= (async () => {
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
  return ready;
}

export async function createSchemaEngine(
  factory: SqlMigrationAwareDriverAdapterFactory,
  schema: { path: string; text: string },
): Promise<SchemaEngine> {
  await initWasm();
  const adapter = bindMigrationAwareSqlAdapterFactory(factory);
  return bg.SchemaEngine.new({ datamodels: [[schema.path, schema.text]] }, () => {}, adapter);
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

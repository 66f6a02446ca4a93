import { fork } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { DatabaseLockedError } from "../../errors.ts";
import type { EmbeddedDatabase } from "./start.ts";

/** What the database process says over its IPC channel (see process-entry.ts). */
export type EmbeddedProcessMessage =
  | { ready: string }
  | { failed: { message: string; locked?: { dir: string; pid: number } } };

export interface EmbeddedDatabaseProcess extends Omit<EmbeddedDatabase, "failed"> {
  /** Settles when the database process ends without having been asked to (crash, kill). */
  lost: Promise<string>;
}

const STOP_TIMEOUT_MS = 15_000;

/**
 * Runs the embedded database in a process of its own. PGlite executes every query synchronously
 * on the thread that owns it: inside the server it would stall HTTP handling for the length of
 * each query and add its WebAssembly heap (at least 128 MiB) to the server's memory. The child
 * stops when told to, or when its parent goes away, so a killed server never leaves it behind.
 */
export function spawnEmbeddedDatabase(dir: string): Promise<EmbeddedDatabaseProcess> {
  const fromSource = import.meta.url.endsWith(".ts");
  const entry = fileURLToPath(new URL(fromSource ? "./process-entry.ts" : "./embedded-database.js", import.meta.url));
  const child = fork(entry, [path.resolve(dir)], {
    // From source (tests, benchmarks) the entry is TypeScript, run through tsx from the repository.
    ...(fromSource && {
      execArgv: ["--import", "tsx"],
      cwd: fileURLToPath(new URL("../../../../..", import.meta.url)),
    }),
    ...(!fromSource && { execArgv: [] }),
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  let stopping = false;
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const lost = exited.then((code) =>
    stopping ? new Promise<string>(() => {}) : `the embedded database process exited (code ${code})`,
  );

  return new Promise((resolve, reject) => {
    const onMessage = (message: EmbeddedProcessMessage) => {
      child.off("message", onMessage);
      if ("failed" in message) {
        const { locked } = message.failed;
        reject(locked ? new DatabaseLockedError(locked.dir, locked.pid) : new Error(message.failed.message));
        return;
      }
      resolve({
        url: message.ready,
        lost,
        async stop() {
          if (child.exitCode !== null || child.signalCode !== null) return;
          stopping = true;
          const force = setTimeout(() => child.kill("SIGKILL"), STOP_TIMEOUT_MS).unref();
          child.send("stop");
          await exited;
          clearTimeout(force);
        },
      });
    };
    child.on("message", onMessage);
    void exited.then((code) =>
      reject(new Error(`the embedded database process exited (code ${code}) before it was ready`)),
    );
  });
}

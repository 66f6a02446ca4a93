import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const CLI = fileURLToPath(new URL("../../packages/server/dist/cli.js", import.meta.url));
export const ROOT = path.dirname(path.dirname(path.dirname(CLI)));

/** A clean environment: nothing from the developer's shell (DATABASE_URL …) leaks in. */
export function cliEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH, HOME: process.env.HOME, LOG_LEVEL: "warn", ...extra };
}

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  cwd: string;
  env?: Record<string, string>;
  /** A file mode creation mask for the process, e.g. "000" (through sh, which then execs node). */
  umask?: string;
}

function spawnNode(args: string[], options: CliOptions): ChildProcess {
  const spawnOptions = { cwd: options.cwd, env: cliEnv(options.env) };
  if (options.umask === undefined) return spawn(process.execPath, [CLI, ...args], spawnOptions);
  return spawn("sh", ["-c", `umask ${options.umask} && exec "$0" "$@"`, process.execPath, CLI, ...args], spawnOptions);
}

/** Runs `vergewis …` to completion. */
export function runCli(args: string[], options: CliOptions): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawnNode(args, options);
    let stdout = "";
    let stderr = "";
    child.stdout!.on("data", (d: Buffer) => (stdout += d));
    child.stderr!.on("data", (d: Buffer) => (stderr += d));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

export interface CliProcess {
  child: ChildProcess;
  /** Resolves with the first stdout match of `pattern`. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  exited: Promise<number | null>;
  output(): string;
}

/** Starts a long-running `vergewis …` (e.g. `start`); kill it in afterAll. */
export function spawnCli(args: string[], options: CliOptions): CliProcess {
  const child = spawnNode(args, options);
  let out = "";
  const listeners = new Set<() => void>();
  const onData = (d: Buffer) => {
    out += d;
    for (const l of listeners) l();
  };
  child.stdout!.on("data", onData);
  child.stderr!.on("data", onData);
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return {
    child,
    exited,
    output: () => out,
    // A first start creates the embedded database (initdb, migrations): seconds alone, a minute
    // and more while the browser suites install and build a fresh clone beside it.
    waitFor(pattern, timeoutMs = 120_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const match = out.match(pattern);
          if (!match) return;
          cleanup();
          resolve(match);
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(new Error(`timed out waiting for ${pattern}; output so far:\n${out}`));
        }, timeoutMs);
        const cleanup = () => {
          clearTimeout(timer);
          listeners.delete(check);
        };
        listeners.add(check);
        void exited.then(() => {
          if (listeners.has(check)) {
            cleanup();
            reject(new Error(`process exited before ${pattern}; output:\n${out}`));
          }
        });
        check();
      });
    },
  };
}

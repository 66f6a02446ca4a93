import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import type { Writable } from "node:stream";
import { fileURLToPath } from "node:url";

function rssMiB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? NaN) / 1024;
}

function descendants(pid: number): number[] {
  let children: number[];
  try {
    children = readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8").split(" ").filter(Boolean).map(Number);
  } catch {
    return [];
  }
  return children.flatMap((child) => [child, ...descendants(child)]);
}

/** USER_HZ: 100 on every Linux architecture Node runs on. */
const CLOCK_TICKS = 100;
const root = path.join(path.dirname(fileURLToPath(import.meta.url)), "..", "..");

export interface ChildServer<T> {
  info: T;
  child: ChildProcess;
  /** RSS of the child in MiB, read from /proc. */
  rssMiB(): number;
  /** RSS of the child's descendants (the embedded database's process) in MiB, read from /proc. */
  descendantsRssMiB(): number;
  /** CPU time (user + system) the child has used, in seconds, read from /proc. */
  cpuSeconds(): number;
  stop(): Promise<void>;
}

/**
 * Runs a TypeScript entry in its own process (so that the load generator does not share its
 * event loop) and waits for the JSON line it prints when ready.
 */
export const startChild = <T>(entry: string, env: Record<string, string> = {}): Promise<ChildServer<T>> =>
  startProcess(["--import", "tsx", entry], env, (line) => (line.startsWith("{") ? (JSON.parse(line) as T) : undefined));

export interface ProcessOptions {
  /** Opens an IPC channel to the child (`child.send`, its `message` events). */
  ipc?: boolean;
  /** Receives the child's standard output, the ready line included; by default it is dropped. */
  output?: Writable;
}

/**
 * Runs `node args…` and waits for the first line of its output that `ready` makes something of.
 */
export function startProcess<T>(
  args: string[],
  env: Record<string, string>,
  ready: (line: string) => T | undefined,
  options: ProcessOptions = {},
): Promise<ChildServer<T>> {
  // node itself (not the tsx wrapper) so that the pid measured is the server's. BENCH_NODE_ARGS
  // passes options to it, e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof` to see where its time goes.
  const nodeArgs = process.env.BENCH_NODE_ARGS?.split(" ").filter(Boolean) ?? [];
  const child = spawn(process.execPath, [...nodeArgs, ...args], {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "inherit", ...(options.ipc ? (["ipc"] as const) : [])],
  });
  if (options.output) child.stdout!.pipe(options.output);
  return new Promise((resolve, reject) => {
    let buffer = "";
    const onData = (chunk: Buffer) => {
      buffer += chunk;
      const info = buffer
        .split("\n")
        .slice(0, -1)
        .map(ready)
        .find((found) => found !== undefined);
      if (info === undefined) return;
      child.stdout!.off("data", onData);
      if (!options.output) child.stdout!.resume();
      resolve({
        info,
        child,
        rssMiB: () => rssMiB(child.pid!),
        descendantsRssMiB: () => descendants(child.pid!).reduce((sum, pid) => sum + rssMiB(pid), 0),
        cpuSeconds() {
          // Fields 14 and 15 (utime, stime) in clock ticks, counted after the command name's ")".
          const fields = readFileSync(`/proc/${child.pid}/stat`, "utf8").split(") ")[1]!.split(" ");
          return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
        },
        stop: () =>
          new Promise<void>((done) => {
            if (child.exitCode !== null) return done();
            child.once("exit", () => done());
            child.kill("SIGTERM");
          }),
      });
    };
    child.stdout!.on("data", onData);
    child.once("exit", (code) => reject(new Error(`node ${args.join(" ")} exited with ${code} before it was ready`)));
  });
}

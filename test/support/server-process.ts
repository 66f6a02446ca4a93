import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
// The built CLI, as operators run it (npm test builds it first): no transpiling at every start.
const CLI = path.join(ROOT, "packages/server/dist/cli.js");

export interface ServerProcess {
  child: ChildProcess;
  /** http://127.0.0.1:PORT */
  url: string;
  /** SIGKILL: no shutdown, nothing flushed or recorded. */
  kill(): Promise<void>;
  /** SIGTERM: the graceful shutdown. */
  stop(): Promise<void>;
}

/**
 * `vergewis start` (or `worker`) in a process of its own, so that a test can kill it
 * the hard way. `env` holds the configuration, as an operator would set it.
 */
export async function spawnServer(
  env: Record<string, string>,
  command: "start" | "worker" = "start",
): Promise<ServerProcess> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "vergewis-child-"));
  const child = spawn(process.execPath, [CLI, command], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      NODE_ENV: "test",
      LOG_LEVEL: "warn",
      VERGEWIS_HOST: "127.0.0.1",
      VERGEWIS_PORT: "0",
      VERGEWIS_DATA_DIR: dataDir,
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const ready = command === "start" ? /Vergewis API: http:\/\/[^:]+:(\d+)/ : /Vergewis worker running/;
  const match = await new Promise<RegExpMatchArray>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${output}`)), 60_000);
    const onData = (chunk: Buffer) => {
      output += chunk;
      const found = output.match(ready);
      if (found) {
        clearTimeout(timer);
        resolve(found);
      }
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", onData);
    void exited.then(() => reject(new Error(`server exited before it was ready:\n${output}`)));
  });
  const cleanup = () => fs.rmSync(dataDir, { recursive: true, force: true });
  const signal = async (name: NodeJS.Signals) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(name);
    await exited;
    cleanup();
  };
  return {
    child,
    url: command === "start" ? `http://127.0.0.1:${match[1]}` : "",
    kill: () => signal("SIGKILL"),
    stop: () => signal("SIGTERM"),
  };
}

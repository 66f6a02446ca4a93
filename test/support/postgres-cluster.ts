// A throwaway PostgreSQL cluster for the test run: initdb in a temporary directory, a free port on
// 127.0.0.1, trust authentication, stopped and deleted afterwards. PostgreSQL refuses to run as
// root, so as root the cluster runs as an unprivileged user created for the purpose.
import { execFileSync, spawnSync } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { postgresBinDir } from "../../scripts/system-deps.mjs";

const CLUSTER_USER = "vergewis-pg";

export interface PostgresCluster {
  /** Superuser URL of the `postgres` database. */
  adminUrl: string;
  /** Shuts the server down (fast: open connections are cut), keeping the data. */
  shutdown(): void;
  /** Starts it again on the same port, after `shutdown`. */
  start(): void;
  /** Stops the server and deletes the cluster. */
  stop(): void;
}

export async function startPostgresCluster(): Promise<PostgresCluster> {
  const binDir = postgresBinDir();
  if (!binDir) {
    throw new Error(
      "PostgreSQL server binaries (initdb, pg_ctl) were not found; install the Debian package postgresql.",
    );
  }
  const asRoot = process.getuid?.() === 0;
  if (asRoot && spawnSync("id", [CLUSTER_USER]).status !== 0) {
    execFileSync("useradd", ["--system", "--no-create-home", "--shell", "/usr/sbin/nologin", CLUSTER_USER]);
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "vergewis-pg-"));
  if (asRoot) execFileSync("chown", [CLUSTER_USER, dir]);
  const port = await freePort();
  const pg = (tool: string, args: string[]) => {
    const command = path.join(binDir, tool);
    const result = asRoot
      ? spawnSync("runuser", ["-u", CLUSTER_USER, "--", command, ...args], { encoding: "utf8" })
      : spawnSync(command, args, { encoding: "utf8" });
    if (result.status !== 0) throw new Error(`${tool} failed: ${result.stderr || result.stdout}`);
  };
  const data = path.join(dir, "data");
  pg("initdb", ["-D", data, "-U", "postgres", "--auth=trust", "--no-sync", "-E", "UTF8", "--locale=C"]);
  const start = () =>
    pg("pg_ctl", [
      "-D",
      data,
      "-l",
      path.join(dir, "log"),
      "-w",
      "-t",
      "60",
      "-o",
      `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200`,
      "start",
    ]);
  start();
  return {
    adminUrl: `postgresql://postgres@127.0.0.1:${port}/postgres`,
    shutdown: () => pg("pg_ctl", ["-D", data, "-m", "fast", "-w", "stop"]),
    start,
    stop() {
      try {
        pg("pg_ctl", ["-D", data, "-m", "immediate", "-w", "stop"]);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

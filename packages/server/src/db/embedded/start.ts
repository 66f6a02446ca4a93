import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { DatabaseLockedError } from "../../errors.ts";
import { serveWireProtocol } from "./wire-protocol.ts";

export interface EmbeddedDatabase {
  /** postgresql:// URL of the wire-protocol socket (a Unix socket only its owner can reach). */
  url: string;
  /** Settles if PGlite failed and can answer no more (see wire-protocol.ts). */
  failed: Promise<Error>;
  stop(): Promise<void>;
}

/**
 * PGlite (PostgreSQL compiled to WebAssembly) served over the PostgreSQL wire protocol, so the
 * application talks to it exactly as to a real server. `dir` persists the data; without it the
 * database lives in memory. PGlite has a single session: use a pool of one connection.
 */
export async function startEmbeddedDatabase(
  options: { dir?: string; loadDataDir?: Blob } = {},
): Promise<EmbeddedDatabase> {
  const releaseLock = options.dir ? await lockDirectory(options.dir) : () => {};
  let socketDir: string | undefined;
  try {
    // The embedded database serves one small installation: PostgreSQL's default 128 MB of shared
    // buffers would triple the process's memory for no gain.
    const settings = { postgresqlconf: ["shared_buffers = 16MB"] };
    const db = options.dir
      ? await PGlite.create(options.dir, settings)
      : await PGlite.create({ ...settings, ...(options.loadDataDir && { loadDataDir: options.loadDataDir }) });
    if (options.dir) keepPrivate(options.dir);
    // PGlite asks for no password, so the socket lives in a directory of mode 0700 (mkdtemp): other
    // users of the machine cannot connect, as any could to a port on 127.0.0.1. A Unix socket
    // also costs less per query than loopback TCP. The directory is short-named because socket
    // paths are limited to about 100 bytes.
    socketDir = fs.mkdtempSync(path.join(os.tmpdir(), "vergewis-db-"));
    const server = await serveWireProtocol(db, { path: path.join(socketDir, ".s.PGSQL.5432") });
    const dir = socketDir;
    return {
      url: `postgresql://postgres@localhost/postgres?host=${encodeURIComponent(dir)}`,
      failed: server.failed,
      async stop() {
        await server.close();
        await db.close();
        fs.rmSync(dir, { recursive: true, force: true });
        releaseLock();
      },
    };
  } catch (error) {
    if (socketDir) fs.rmSync(socketDir, { recursive: true, force: true });
    releaseLock();
    throw error;
  }
}

/**
 * PGlite gives its files mode 0666 (less the umask for files it adds as it runs): other users of
 * the machine could read or even change the database. Once it has opened (and, the first time,
 * created) the directory, every file there is narrowed to 0600 and every directory to 0700, and
 * the files it adds from then on are the owner's only (umask 077): this process owns the data.
 */
function keepPrivate(dir: string): void {
  process.umask(0o077);
  for (const entry of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
    const file = path.join(entry.parentPath, entry.name);
    if (entry.isDirectory()) fs.chmodSync(file, 0o700);
    else if (entry.isFile()) fs.chmodSync(file, 0o600);
  }
}

/**
 * PGlite does not lock its directory, and two processes on one directory corrupt it. The lock
 * names its holder and the holder's parent: a database process whose server was killed is still
 * closing PGlite for a moment, and a restarted server waits for that rather than fail.
 */
async function lockDirectory(dir: string): Promise<() => void> {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const lockFile = path.join(dir, "vergewis.lock");
  const deadline = Date.now() + ORPHAN_WAIT_MS;
  for (;;) {
    try {
      fs.writeFileSync(lockFile, `${process.pid} ${process.ppid}`, { flag: "wx", mode: 0o600 });
      return () => fs.rmSync(lockFile, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
    const [pid = NaN, parent = NaN] = fs.readFileSync(lockFile, "utf8").split(" ").map(Number);
    if (!isAlive(pid) || pid === process.pid) {
      fs.rmSync(lockFile, { force: true }); // left behind by a process that died
      continue;
    }
    if (isAlive(parent) || Date.now() > deadline) throw new DatabaseLockedError(dir, pid);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const ORPHAN_WAIT_MS = 10_000;

function isAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

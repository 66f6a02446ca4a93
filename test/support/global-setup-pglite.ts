import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { PGLiteSocketServer } from "@electric-sql/pglite-socket";
import type { TestProject } from "vitest/node";
import { migrate } from "../../packages/server/src/db/migrate/migrate.ts";

/**
 * A migrated PGlite data directory, dumped once per run: a test file starts from it in about a
 * second instead of running initdb and the migrations again.
 */
export default async function setup(project: TestProject) {
  const db = await PGlite.create();
  const server = new PGLiteSocketServer({ db, host: "127.0.0.1", port: 0, maxConnections: 4 });
  await server.start();
  await migrate(`postgresql://postgres@${server.getServerConn()}/postgres`);
  await server.stop();
  const dump = await db.dumpDataDir("none");
  await db.close();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "vergewis-pglite-"));
  const file = path.join(dir, "migrated.tar");
  fs.writeFileSync(file, Buffer.from(await dump.arrayBuffer()));
  project.provide("pgliteSnapshot", file);
  return () => fs.rmSync(dir, { recursive: true, force: true });
}

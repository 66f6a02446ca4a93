import fs from "node:fs";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import type { TestProject } from "vitest/node";
import { migrate } from "../../packages/server/src/db/migrate/migrate.ts";
import { serveWireProtocol } from "../../packages/server/src/db/embedded/wire-protocol.ts";

/**
 * PGlite data directories dumped once per run, empty and migrated: a test file starts from one in
 * about a second instead of running initdb (and the migrations) again.
 */
export default async function setup(project: TestProject) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "vergewis-pglite-"));
  const db = await PGlite.create();
  const empty = path.join(dir, "empty.tar");
  fs.writeFileSync(empty, Buffer.from(await (await db.dumpDataDir("none")).arrayBuffer()));
  const server = await serveWireProtocol(db, { host: "127.0.0.1", port: 0 });
  await migrate(`postgresql://postgres@127.0.0.1:${(server.address as AddressInfo).port}/postgres`);
  await server.close();
  const migrated = path.join(dir, "migrated.tar");
  fs.writeFileSync(migrated, Buffer.from(await (await db.dumpDataDir("none")).arrayBuffer()));
  await db.close();
  project.provide("pgliteSnapshot", migrated);
  project.provide("pgliteEmptySnapshot", empty);
  return () => fs.rmSync(dir, { recursive: true, force: true });
}

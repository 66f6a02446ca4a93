import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import request from "supertest";
import { afterAll, expect, test } from "vitest";
import { loadConfig } from "../../packages/server/src/config/load.ts";
import { createPlatform } from "../../packages/server/src/platform/create.ts";
import { startServer } from "../../packages/server/src/runtime/start.ts";
import { createLogger } from "../../packages/server/src/log.ts";
import { createTestDatabase, databaseKind } from "../support/database.ts";
import { bearer, publicationRequest } from "../support/fixtures.ts";

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "vergewis-restart-"));
afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

test("a restarted server keeps every row", async () => {
  // PGlite: the embedded database persisted in the data directory, as `vergewis start` runs it.
  // PostgreSQL: a second server process on the same DATABASE_URL.
  const external = databaseKind() === "postgres" ? await createTestDatabase() : undefined;
  const config = loadConfig(
    {},
    {
      mode: "test",
      dataDir,
      logLevel: "silent",
      secret: randomBytes(32).toString("base64url"),
      http: { host: "127.0.0.1", port: 0 },
      ...(external && { database: { url: external.url } }),
    },
  );
  const log = createLogger(config);
  try {
    const first = await startServer(config, { log });
    const { apiKey } = await createPlatform(first.ctx.db, { name: "Persistent" });
    const created = [];
    for (let i = 0; i < 3; i++) {
      created.push(
        (await request(first.url).post("/v1/publications").set(bearer(apiKey)).send(publicationRequest())).body,
      );
    }
    const events = await first.ctx.db.auditEvent.count();
    await first.close();

    const second = await startServer(config, { log });
    try {
      const list = await request(second.url).get("/v1/publications").set(bearer(apiKey)).expect(200);
      expect(list.body.items.map((p: { id: string }) => p.id).sort()).toEqual(created.map((p) => p.id).sort());
      for (const publication of created) {
        const { invitations: _, ...stored } = publication;
        const res = await request(second.url).get(`/v1/publications/${publication.id}`).set(bearer(apiKey)).expect(200);
        expect(res.body).toEqual(stored);
      }
      expect(await second.ctx.db.auditEvent.count()).toBe(events);
    } finally {
      await second.close();
    }
  } finally {
    await external?.close();
  }
}, 180_000); // two server starts, the first one running initdb on PGlite

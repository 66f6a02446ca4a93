// The server under test for the takedown benchmark, in its own process: Vergewis with its worker on
// embedded PGlite (or DATABASE_URL), `count` cleared publications, and a webhook endpoint at the
// benchmark's receiver. A bench-only control port triggers revocations: each runs the domain's
// revocation transaction (takedown requested, outbox written) and answers once it has committed.
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import { createServer } from "node:http";
import os from "node:os";
import path from "node:path";
import type { AddressInfo } from "node:net";
import { publicationRequestSchema } from "@vergewis/sdk";
import { loadConfig } from "../../packages/server/src/config/load.ts";
import { createLogger } from "../../packages/server/src/log.ts";
import { createPlatform } from "../../packages/server/src/platform/create.ts";
import { createPublication } from "../../packages/server/src/publication/create.ts";
import { movePublication } from "../../packages/server/src/publication/state.ts";
import { startServer } from "../../packages/server/src/runtime/start.ts";
import { requestTakedown } from "../../packages/server/src/takedown/request.ts";
import { createEndpoint } from "../../packages/server/src/webhook/endpoints.ts";
import { publicationRequest } from "../../test/support/fixtures.ts";

const count = Number(process.env.BENCH_COUNT ?? 1000);
const receiverUrl = process.env.BENCH_RECEIVER_URL!;
const dataDir = process.env.BENCH_DATA_DIR ?? fs.mkdtempSync(path.join(os.tmpdir(), "vergewis-bench-"));
// Development mode: the receiver is http on 127.0.0.1, which production refuses. Delivery is the same.
const config = loadConfig(
  {},
  {
    mode: "development",
    dataDir,
    secret: randomBytes(32).toString("base64url"),
    logLevel: "silent",
    http: { host: "127.0.0.1", port: 0 },
    ...(process.env.DATABASE_URL && { database: { url: process.env.DATABASE_URL } }),
  },
);
const server = await startServer(config, { log: createLogger(config) });
const { db } = server.ctx;
const platform = await createPlatform(db, { name: "Bench" });
await db.$transaction((tx) =>
  createEndpoint(tx, { serverSecret: server.ctx.secret, allowLoopbackHttp: true }, platform.id, {
    url: receiverUrl,
    eventTypes: ["takedown.requested"],
  }),
);
const ids: string[] = [];
for (let i = 0; i < count; i++) {
  const request = publicationRequestSchema.parse(publicationRequest());
  ids.push(
    await db.$transaction(async (tx) => {
      const created = await createPublication(
        tx,
        { serverSecret: server.ctx.secret, publicUrl: server.url, invitationTtlDays: 14 },
        platform.id,
        request,
      );
      await movePublication(tx, created.id, "pending", "cleared");
      return created.id;
    }),
  );
}

const control = createServer(async (req, res) => {
  const id = req.url?.slice("/revoke/".length) ?? "";
  try {
    await db.$transaction((tx) => requestTakedown(tx, { publicationId: id, reason: "revocation" }));
    res.writeHead(204).end();
  } catch (error) {
    res.writeHead(500).end(String(error));
  }
});
control.listen(0, "127.0.0.1");
await new Promise((resolve) => control.once("listening", resolve));

console.log(
  JSON.stringify({
    controlUrl: `http://127.0.0.1:${(control.address() as AddressInfo).port}`,
    publicationIds: ids,
    database: config.database.url ? "postgresql" : "pglite",
  }),
);

process.once("SIGTERM", async () => {
  control.close();
  await server.close();
  process.exit(0);
});

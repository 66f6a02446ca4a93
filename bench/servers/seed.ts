// Prepares the database of the server under test, as an operator's short command would, in a
// process of its own: migrates it, registers a platform and clears a publication of it (its state
// set through the domain layer), then prints one JSON line with the platform's API key and the
// publication's fingerprint. The embedded database (BENCH_DATA_DIR) runs inside this process and
// ends with it; DATABASE_URL points at a PostgreSQL instead. VERGEWIS_SECRET is the server's.
import { publicationRequestSchema } from "@vergewis/sdk";
import { loadConfig } from "../../packages/server/src/config/load.ts";
import { createDb } from "../../packages/server/src/db/client.ts";
import { migrate } from "../../packages/server/src/db/migrate/migrate.ts";
import { createPlatform } from "../../packages/server/src/platform/create.ts";
import { createPublication } from "../../packages/server/src/publication/create.ts";
import { movePublication } from "../../packages/server/src/publication/state.ts";
import { openDatabase } from "../../packages/server/src/runtime/database.ts";
import { resolveSecret } from "../../packages/server/src/runtime/secret.ts";
import { publicationRequest } from "../../test/support/fixtures.ts";

const config = loadConfig(
  {},
  {
    mode: "test",
    dataDir: process.env.BENCH_DATA_DIR!,
    secret: process.env.VERGEWIS_SECRET!,
    ...(process.env.DATABASE_URL && { database: { url: process.env.DATABASE_URL } }),
  },
);
const database = await openDatabase(config);
try {
  await migrate(database.url);
  const db = createDb(database.url, database.poolSize);
  try {
    const platform = await createPlatform(db, { name: "Bench" });
    const publication = await db.$transaction(async (tx) => {
      const created = await createPublication(
        tx,
        { serverSecret: resolveSecret(config), publicUrl: "http://127.0.0.1", invitationTtlDays: 14 },
        platform.id,
        publicationRequestSchema.parse(publicationRequest()),
      );
      await movePublication(tx, created.id, "pending", "cleared");
      return created;
    });
    console.log(JSON.stringify({ apiKey: platform.apiKey, fingerprint: publication.contentFingerprints[0] }));
  } finally {
    await db.$disconnect();
  }
} finally {
  await database.close();
}

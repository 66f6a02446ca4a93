// Prepares the database of the server under soak, in a process of its own (so that neither
// PGlite's initdb nor the schema engine are in the server's memory): migrates it, registers the
// platform the traffic comes from and a second one (whose reads of the first's publications must
// answer 404), issues an auditor token for the first, then prints one JSON line with their keys.
// The embedded database (BENCH_DATA_DIR) runs inside this process and ends with it; DATABASE_URL
// points at a PostgreSQL instead. VERGEWIS_SECRET is the server's.
import { issueAuditorToken } from "../../packages/server/src/audit/auditor-token.ts";
import { loadConfig } from "../../packages/server/src/config/load.ts";
import { createDb } from "../../packages/server/src/db/client.ts";
import { migrate } from "../../packages/server/src/db/migrate/migrate.ts";
import { createPlatform } from "../../packages/server/src/platform/create.ts";
import { openDatabase } from "../../packages/server/src/runtime/database.ts";

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
    const platform = await createPlatform(db, { name: "Soak platform" });
    const other = await createPlatform(db, { name: "Other platform" });
    const { token } = await issueAuditorToken(db, { platformId: platform.id });
    console.log(
      JSON.stringify({
        platformId: platform.id,
        apiKey: platform.apiKey,
        otherApiKey: other.apiKey,
        auditorToken: token,
      }),
    );
  } finally {
    await db.$disconnect();
  }
} finally {
  await database.close();
}

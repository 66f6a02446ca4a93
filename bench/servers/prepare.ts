// What the bench's seeding scripts share: in a process of its own (so that neither PGlite's initdb
// nor the schema engine are in the server's memory), open the database of the server under test
// as an operator's short command would, migrate it, let `seed` fill it, and print the one JSON
// line it returns. The embedded database (BENCH_DATA_DIR) runs inside this process and ends with
// it; DATABASE_URL points at a PostgreSQL instead. VERGEWIS_SECRET is the server's.
import { loadConfig } from "../../packages/server/src/config/load.ts";
import type { Config } from "../../packages/server/src/config/schema.ts";
import { createDb, type Db } from "../../packages/server/src/db/client.ts";
import { migrate } from "../../packages/server/src/db/migrate/migrate.ts";
import { openDatabase } from "../../packages/server/src/runtime/database.ts";

export async function prepareDatabase(seed: (db: Db, config: Config) => Promise<object>): Promise<void> {
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
      console.log(JSON.stringify(await seed(db, config)));
    } finally {
      await db.$disconnect();
    }
  } finally {
    await database.close();
  }
}

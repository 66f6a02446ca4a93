// Writes the next migration after a change to prisma/schema.prisma:
//   pnpm db:diff <name>     (e.g. pnpm db:diff add_webhook_endpoints)
// The SQL is computed by the schema engine on throwaway in-memory PGlite databases, offline.
import { startEmbeddedDatabase } from "../packages/server/src/db/embedded/start.ts";
import { createMigration } from "../packages/server/src/db/migrate/migrate.ts";

const name = process.argv[2];
if (!name || !/^[a-z0-9_]+$/.test(name)) {
  console.error("Usage: pnpm db:diff <name>   (lower case letters, digits and _)");
  process.exit(2);
}
const main = await startEmbeddedDatabase();
try {
  const folder = await createMigration(main.url, name, {
    shadow: async () => {
      const shadow = await startEmbeddedDatabase();
      return { url: shadow.url, cleanup: shadow.stop };
    },
  });
  console.log(folder ? `Wrote ${folder}/migration.sql` : "No schema changes.");
} finally {
  await main.stop();
}

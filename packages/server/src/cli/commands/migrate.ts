import { migrate } from "../../db/migrate/migrate.ts";
import { openDatabase } from "../../runtime/database.ts";
import { defineCommand } from "../command.ts";

export default defineCommand({
  name: "migrate",
  summary: "Apply pending database migrations",
  options: {},
  async run(_flags, context) {
    const database = await openDatabase(context.config());
    try {
      const applied = await migrate(database.url);
      console.log(applied.length ? `Applied: ${applied.join(", ")}` : "Database is up to date.");
    } finally {
      await database.close();
    }
    return 0;
  },
});

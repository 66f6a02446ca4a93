import { startServer } from "../../runtime/start.ts";
import { defineCommand } from "../command.ts";
import { untilSignalled } from "../signals.ts";

export default defineCommand({
  name: "start",
  summary: "Run the server (migrates the embedded database first); it runs the worker too unless VERGEWIS_WORKER=false",
  options: {},
  async run(_flags, context) {
    const server = await startServer(context.config());
    const signalled = untilSignalled();
    console.log(`Vergewis API: ${server.url}`);
    const lost = await Promise.race([signalled, server.lost]);
    if (lost) server.ctx.log.fatal({ reason: lost }, "the database is gone; stopping");
    await server.close();
    return lost ? 1 : 0;
  },
});

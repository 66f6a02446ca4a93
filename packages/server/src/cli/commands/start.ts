import { startServer } from "../../runtime/start.ts";
import { defineCommand } from "../command.ts";

export default defineCommand({
  name: "start",
  summary: "Run the server (migrates the embedded database first); it runs the worker too unless VERGEWIS_WORKER=false",
  options: {},
  async run(_flags, context) {
    const server = await startServer(context.config());
    // Handlers first: whoever waits for the ready line may signal as soon as it reads it, and a
    // signal without a handler would kill the process instead of stopping it gracefully.
    const signalled = new Promise<undefined>((resolve) => {
      process.once("SIGINT", () => resolve(undefined));
      process.once("SIGTERM", () => resolve(undefined));
    });
    console.log(`Vergewis API: ${server.url}`);
    const lost = await Promise.race([signalled, server.lost]);
    if (lost) server.ctx.log.fatal({ reason: lost }, "the database is gone; stopping");
    await server.close();
    return lost ? 1 : 0;
  },
});

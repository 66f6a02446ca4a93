import { startWorkerProcess } from "../../runtime/worker.ts";
import { defineCommand } from "../command.ts";

export default defineCommand({
  name: "worker",
  summary: "Run only the worker (webhook delivery, SLA clocks); PostgreSQL only",
  options: {},
  async run(_flags, context) {
    const running = await startWorkerProcess(context.config());
    // Handlers before the ready line, as for start.
    const signalled = new Promise<void>((resolve) => {
      process.once("SIGINT", () => resolve());
      process.once("SIGTERM", () => resolve());
    });
    console.log("Vergewis worker running.");
    await signalled;
    await running.close();
    return 0;
  },
});

import { startWorkerProcess } from "../../runtime/worker.ts";
import { defineCommand } from "../command.ts";
import { untilSignalled } from "../signals.ts";

export default defineCommand({
  name: "worker",
  summary: "Run only the worker (webhook delivery, SLA clocks); PostgreSQL only",
  options: {},
  async run(_flags, context) {
    const running = await startWorkerProcess(context.config());
    const signalled = untilSignalled();
    console.log("Vergewis worker running.");
    await signalled;
    await running.close();
    return 0;
  },
});

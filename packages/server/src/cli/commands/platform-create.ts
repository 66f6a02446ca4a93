import { operatorCommand } from "../../runtime/database-access.ts";
import { defineCommand, UsageError } from "../command.ts";

export default defineCommand({
  name: "platform create",
  summary: "Register a platform and print its first API key (once)",
  options: {
    name: { type: "string", value: "NAME", required: true, help: "The platform's name, as performers see it" },
    "sla-minutes": { type: "string", value: "N", help: "Takedown deadline, default 1440 (24 hours)" },
  },
  async run(flags, context) {
    const config = context.config();
    if (!flags.name) throw new UsageError("platform create needs --name");
    const slaMinutes = flags["sla-minutes"] === undefined ? undefined : Number(flags["sla-minutes"]);
    const platform = await operatorCommand(config, "platform.create", {
      name: flags.name,
      ...(slaMinutes !== undefined && { slaMinutes }),
    });
    console.log(`Platform "${platform.name}" created.
  id:       ${platform.id}
  SLA:      ${platform.slaSeconds / 60} minutes
  API key:  ${platform.apiKey}

Store the API key now: it is shown only once.`);
    return 0;
  },
});

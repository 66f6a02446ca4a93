import { operatorCommand } from "../../runtime/database-access.ts";
import { defineCommand, UsageError } from "../command.ts";

export default defineCommand({
  name: "platform configure",
  summary: "Change a platform's settings",
  options: {
    id: { type: "string", value: "ID", required: true, help: "The platform's id" },
    "sla-minutes": { type: "string", value: "N", help: "Takedown and report deadline" },
    "content-url-template": {
      type: "string",
      value: "T",
      help: 'Where it publishes, e.g. https://example.com/v/{externalId}, to match reports that name a URL ("" to clear)',
    },
  },
  async run(flags, context) {
    const config = context.config();
    if (!flags.id) throw new UsageError("platform configure needs --id");
    const template = flags["content-url-template"];
    const platform = await operatorCommand(config, "platform.configure", {
      id: flags.id,
      ...(flags["sla-minutes"] !== undefined && { slaMinutes: Number(flags["sla-minutes"]) }),
      ...(template !== undefined && { contentUrlTemplate: template === "" ? null : template }),
    });
    console.log(`Platform "${platform.name}" configured.
  SLA:                   ${platform.slaSeconds / 60} minutes
  content URL template:  ${platform.contentUrlTemplate ?? "(none)"}`);
    return 0;
  },
});

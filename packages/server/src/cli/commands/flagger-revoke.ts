import { operatorCommand } from "../../runtime/database-access.ts";
import { defineCommand, UsageError } from "../command.ts";

export default defineCommand({
  name: "flagger revoke",
  summary: "Revoke a trusted flagger's token",
  options: {
    id: { type: "string", value: "ID", required: true, help: "The flagger's id (flagger list shows it)" },
  },
  async run(flags, context) {
    const config = context.config();
    if (!flags.id) throw new UsageError("flagger revoke needs --id");
    const flagger = await operatorCommand(config, "flagger.revoke", { id: flags.id });
    console.log(`Trusted flagger "${flagger.name}" revoked.`);
    return 0;
  },
});

import { operatorCommand } from "../../runtime/database-access.ts";
import { defineCommand, UsageError } from "../command.ts";

export default defineCommand({
  name: "auditor revoke",
  summary: "Revoke the auditor token that starts with P",
  options: {
    prefix: { type: "string", value: "P", required: true, help: "The token's prefix: vgw_audit_ and 8 characters" },
  },
  async run(flags, context) {
    const config = context.config();
    if (!flags.prefix) throw new UsageError("auditor revoke needs --prefix");
    const revoked = await operatorCommand(config, "auditor.revoke", { prefix: flags.prefix });
    console.log(
      revoked ? `Auditor token ${flags.prefix}… revoked.` : `No active auditor token starts with ${flags.prefix}.`,
    );
    return revoked ? 0 : 1;
  },
});

import { operatorCommand } from "../../runtime/database-access.ts";
import { defineCommand, UsageError } from "../command.ts";

export default defineCommand({
  name: "auditor create",
  summary: "Issue a read-only auditor token for one platform, or for all platforms (a regulator), and print it (once)",
  synopsis: "--platform ID | --all [--label TEXT]",
  options: {
    platform: { type: "string", value: "ID", help: "The one platform whose log the token reads" },
    all: { type: "boolean", help: "Or every platform's (a regulator)" },
    label: { type: "string", value: "TEXT", help: "Who holds it, for the operator's records" },
  },
  async run(flags, context) {
    const config = context.config();
    if ((flags.platform === undefined) === (flags.all !== true)) {
      throw new UsageError("auditor create needs either --platform ID or --all");
    }
    const issued = await operatorCommand(config, "auditor.create", {
      platformId: flags.platform ?? null,
      ...(flags.label !== undefined && { label: flags.label }),
    });
    console.log(`Auditor token created.
  scope:   ${issued.scope.kind === "all" ? "all platforms" : `platform ${issued.scope.platformId}`}
  prefix:  ${issued.prefix}
  token:   ${issued.token}

Give the token to the auditor now: it is shown only once. It reads the audit log of its scope
and changes nothing. Revoke it with: vergewis auditor revoke --prefix ${issued.prefix}`);
    return 0;
  },
});

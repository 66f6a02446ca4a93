import { operatorCommand } from "../../runtime/database-access.ts";
import { defineCommand, UsageError } from "../command.ts";

export default defineCommand({
  name: "flagger create",
  summary: "Register a trusted flagger (DSA art. 22) and print its token (once)",
  options: {
    name: { type: "string", value: "NAME", required: true, help: "The flagger's name, as platforms see it" },
  },
  async run(flags, context) {
    const config = context.config();
    if (!flags.name) throw new UsageError("flagger create needs --name");
    const flagger = await operatorCommand(config, "flagger.create", { name: flags.name });
    console.log(`Trusted flagger "${flagger.name}" registered.
  id:     ${flagger.id}
  token:  ${flagger.token}

Give the token to the flagger over a secure channel: it is shown only once. Reports sent with
"Authorization: Bearer <token>" to POST /v1/reports are marked as theirs and handled first.`);
    return 0;
  },
});

import { operatorCommand } from "../../runtime/database-access.ts";
import { defineCommand } from "../command.ts";

export default defineCommand({
  name: "flagger list",
  summary: "List trusted flaggers",
  options: {},
  async run(_flags, context) {
    const flaggers = await operatorCommand(context.config(), "flagger.list", {});
    for (const f of flaggers) console.log(`${f.id}  ${f.revoked ? "revoked" : "active "}  ${f.name}`);
    if (flaggers.length === 0) console.log("No trusted flaggers.");
    return 0;
  },
});

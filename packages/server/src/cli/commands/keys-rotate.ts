import { operatorCommand } from "../../runtime/database-access.ts";
import { defineCommand, UsageError } from "../command.ts";

const PURPOSES = {
  receipt: { name: "receipt signing key", variable: "VERGEWIS_RECEIPT_SIGNING_KEY" },
  log: { name: "audit log key", variable: "VERGEWIS_LOG_SIGNING_KEY" },
};

export default defineCommand({
  name: "keys rotate",
  summary: "Add a new signing key; old public keys stay in the JWKS",
  options: {
    purpose: {
      type: "string",
      value: "receipt|log",
      help: "Receipts and status lists (default), or the audit log's checkpoints",
    },
  },
  async run(flags, context) {
    const config = context.config();
    const purpose = flags.purpose ?? "receipt";
    if (purpose !== "receipt" && purpose !== "log") throw new UsageError("keys rotate --purpose is receipt or log");
    const { name, variable } = PURPOSES[purpose];
    const rotated = await operatorCommand(config, "keys.rotate", { purpose });
    if (rotated.privateKeyPem) {
      console.log(`New ${name} ${rotated.kid} (${rotated.alg}); its public key is now published.
Install this private key as ${variable} on every instance; it is not stored anywhere else:

${rotated.privateKeyPem}`);
    } else {
      console.log(`New ${name} ${rotated.kid} (${rotated.alg}) is in use; earlier keys stay published.`);
    }
    return 0;
  },
});

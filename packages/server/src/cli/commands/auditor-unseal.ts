import fs from "node:fs";
import { unsealIdentity } from "../../identity/escrow.ts";
import { operatorCommand } from "../../runtime/database-access.ts";
import { defineCommand, UsageError } from "../command.ts";

export default defineCommand({
  name: "auditor unseal",
  summary: "Open a sealed identity with the auditors' escrow private key",
  synopsis: "--key FILE (--performer PSEUDONYM | --attestation ID)",
  options: {
    key: { type: "string", value: "FILE", required: true, help: "The escrow private key (JWK or PEM)" },
    performer: { type: "string", value: "PSEUDONYM", help: "The performer whose identity to open" },
    attestation: { type: "string", value: "ID", help: "Or the age attestation whose identity to open" },
  },
  async run(flags, context) {
    const config = context.config();
    if (!flags.key) throw new UsageError("auditor unseal needs --key FILE (the escrow private key, JWK or PEM)");
    const whose = sealedBy(flags.performer, flags.attestation);
    const keyText = fs.readFileSync(flags.key, "utf8");
    const record = await operatorCommand(config, "identity.sealed", whose);
    const identity = await unsealIdentity(record.sealedIdentity, keyText);
    console.log(JSON.stringify({ ...identity, attestationId: record.attestationId, acr: record.acr }, null, 2));
    return 0;
  },
});

/** Exactly one of the two names the sealed identity. */
function sealedBy(performer: string | undefined, attestation: string | undefined) {
  if (attestation && !performer) return { attestationId: attestation };
  if (performer && !attestation) return { performer };
  throw new UsageError("auditor unseal needs --performer or --attestation");
}

#!/usr/bin/env node
import fs from "node:fs";
import { parseArgs } from "node:util";
import { configFromEnv, loadConfig } from "./config/load.ts";
import type { Config, ConfigInput } from "./config/schema.ts";
import { migrate } from "./db/migrate/migrate.ts";
import { ConfigError } from "./errors.ts";
import { unsealIdentity } from "./identity/escrow.ts";
import type { SealedRecord } from "./identity/sealed-record.ts";
import type { RotatedKey } from "./keys/store.ts";
import type { CreatedPlatform } from "./platform/create.ts";
import { openDatabase } from "./runtime/database.ts";
import { operatorCommand } from "./runtime/database-access.ts";
import { startServer } from "./runtime/start.ts";

const USAGE = `Usage: vergewis <command> [options]

Commands:
  start                         Run the server (migrates the embedded database first)
  migrate                       Apply pending database migrations
  platform create --name NAME   Register a platform and print its first API key (once)
      [--sla-minutes N]         Takedown deadline, default 1440 (24 hours)
  keys rotate                   Add a new receipt signing key; old public keys stay in the JWKS
  auditor unseal --key FILE     Open a sealed identity with the auditors' escrow private key
      (--performer PSEUDONYM | --attestation ID)

Options for every command:
  --data-dir DIR                Embedded data (default ./.vergewis, or VERGEWIS_DATA_DIR)
  --host HOST, --port PORT      Where start listens (default 127.0.0.1:8080)

Configuration comes from environment variables; see the README's table.`;

class UsageError extends Error {}

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      "data-dir": { type: "string" },
      host: { type: "string" },
      port: { type: "string" },
      name: { type: "string" },
      "sla-minutes": { type: "string" },
      key: { type: "string" },
      performer: { type: "string" },
      attestation: { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  });
  const [command, sub] = positionals;
  if (values.help || !command) {
    console.log(USAGE);
    return values.help ? 0 : 2;
  }
  const overrides: ConfigInput = {
    ...(values["data-dir"] !== undefined && { dataDir: values["data-dir"] }),
    http: {
      ...(values.host !== undefined && { host: values.host }),
      ...(values.port !== undefined && { port: values.port as unknown as number }),
    },
  };
  const config = loadConfig(configFromEnv(), overrides);

  switch (`${command} ${sub ?? ""}`.trim()) {
    case "start":
      return start(config);
    case "migrate": {
      const database = await openDatabase(config);
      try {
        const applied = await migrate(database.url);
        console.log(applied.length ? `Applied: ${applied.join(", ")}` : "Database is up to date.");
      } finally {
        await database.close();
      }
      return 0;
    }
    case "platform create": {
      if (!values.name) throw new UsageError("platform create needs --name");
      const slaMinutes = values["sla-minutes"] === undefined ? undefined : Number(values["sla-minutes"]);
      const platform = (await operatorCommand(config, "platform.create", {
        name: values.name,
        ...(slaMinutes !== undefined && { slaMinutes }),
      })) as CreatedPlatform;
      console.log(`Platform "${platform.name}" created.
  id:       ${platform.id}
  SLA:      ${platform.slaSeconds / 60} minutes
  API key:  ${platform.apiKey}

Store the API key now: it is shown only once.`);
      return 0;
    }
    case "keys rotate": {
      const rotated = (await operatorCommand(config, "keys.rotate", { purpose: "receipt" })) as RotatedKey;
      if (rotated.privateKeyPem) {
        console.log(`New receipt signing key ${rotated.kid} (${rotated.alg}); its public key is now published.
Install this private key as VERGEWIS_RECEIPT_SIGNING_KEY on every instance; it is not stored anywhere else:

${rotated.privateKeyPem}`);
      } else {
        console.log(`New receipt signing key ${rotated.kid} (${rotated.alg}) is in use; earlier keys stay published.`);
      }
      return 0;
    }
    case "auditor unseal": {
      if (!values.key) throw new UsageError("auditor unseal needs --key FILE (the escrow private key, JWK or PEM)");
      if (!values.performer === !values.attestation)
        throw new UsageError("auditor unseal needs --performer or --attestation");
      const keyText = fs.readFileSync(values.key, "utf8");
      const record = (await operatorCommand(
        config,
        "identity.sealed",
        values.attestation ? { attestationId: values.attestation } : { performer: values.performer },
      )) as SealedRecord;
      const identity = await unsealIdentity(record.sealedIdentity, keyText);
      console.log(JSON.stringify({ ...identity, attestationId: record.attestationId, acr: record.acr }, null, 2));
      return 0;
    }
    default:
      throw new UsageError(`unknown command: ${positionals.join(" ")}`);
  }
}

async function start(config: Config): Promise<number> {
  const server = await startServer(config);
  console.log(`Vergewis API: ${server.url}`);
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
  });
  await server.close();
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof ConfigError) {
      console.error(`Invalid configuration:\n${error.message}`);
      process.exit(2);
    }
    if (error instanceof UsageError || (error as { code?: string }).code?.startsWith("ERR_PARSE_ARGS")) {
      console.error(`${(error as Error).message}\n\n${USAGE}`);
      process.exit(2);
    }
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);

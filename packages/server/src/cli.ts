#!/usr/bin/env node
import fs from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import type { IssuedAuditorToken } from "./audit/auditor-token.ts";
import { progressBar } from "./audit/progress-bar.ts";
import { RemoteError, verifyRemoteLog } from "./audit/verify-remote.ts";
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
import type { PlatformSettings } from "./platform/configure.ts";
import type { CreatedFlagger, TrustedFlagger } from "./report/flagger.ts";
import { startServer } from "./runtime/start.ts";
import { startWorkerProcess } from "./runtime/worker.ts";

const USAGE = `Usage: vergewis <command> [options]

Commands:
  start                         Run the server (migrates the embedded database first); it runs
                                the worker too unless VERGEWIS_WORKER=false
  worker                        Run only the worker (webhook delivery, SLA clocks); PostgreSQL only
  migrate                       Apply pending database migrations
  platform create --name NAME   Register a platform and print its first API key (once)
      [--sla-minutes N]         Takedown deadline, default 1440 (24 hours)
  keys rotate                   Add a new signing key; old public keys stay in the JWKS
      [--purpose receipt|log]   receipts and status lists (default), or the audit log's checkpoints
  auditor unseal --key FILE     Open a sealed identity with the auditors' escrow private key
      (--performer PSEUDONYM | --attestation ID)
  auditor create --platform ID  Issue a read-only auditor token for one platform, or
      | --all [--label TEXT]    for all platforms (a regulator), and print it (once)
  auditor revoke --prefix P     Revoke the auditor token that starts with P
  log verify --url URL          Download the whole audit log, recompute its Merkle tree and
      [--key VKEY]              check it against the signed checkpoint and against the state
      [--state FILE]            saved by the previous run (default: ~/.local/state/vergewis/)
      [--progress]              The auditor token comes from VERGEWIS_AUDITOR_TOKEN (or --token)
  platform configure --id ID    Change a platform's settings:
      [--sla-minutes N]         takedown and report deadline
      [--content-url-template T]  where it publishes, e.g. https://example.com/v/{externalId},
                                to match reports that name a URL ("" to clear)
  flagger create --name NAME    Register a trusted flagger (DSA art. 22) and print its token (once)
  flagger revoke --id ID        Revoke a trusted flagger's token
  flagger list                  List trusted flaggers

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
      purpose: { type: "string" },
      platform: { type: "string" },
      all: { type: "boolean" },
      label: { type: "string" },
      prefix: { type: "string" },
      url: { type: "string" },
      token: { type: "string" },
      state: { type: "string" },
      progress: { type: "boolean" },
      id: { type: "string" },
      "content-url-template": { type: "string" },
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
  // Verifying talks to a server over HTTP only: it needs no configuration of its own.
  if (`${command} ${sub ?? ""}`.trim() === "log verify") return logVerify(values);
  const config = loadConfig(configFromEnv(), overrides);

  switch (`${command} ${sub ?? ""}`.trim()) {
    case "start":
      return start(config);
    case "worker":
      return worker(config);
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
      const purpose = values.purpose ?? "receipt";
      const names = {
        receipt: ["receipt signing key", "VERGEWIS_RECEIPT_SIGNING_KEY"],
        log: ["audit log key", "VERGEWIS_LOG_SIGNING_KEY"],
      };
      if (!Object.hasOwn(names, purpose)) throw new UsageError("keys rotate --purpose is receipt or log");
      const [name, variable] = names[purpose as keyof typeof names];
      const rotated = (await operatorCommand(config, "keys.rotate", { purpose })) as RotatedKey;
      if (rotated.privateKeyPem) {
        console.log(`New ${name} ${rotated.kid} (${rotated.alg}); its public key is now published.
Install this private key as ${variable} on every instance; it is not stored anywhere else:

${rotated.privateKeyPem}`);
      } else {
        console.log(`New ${name} ${rotated.kid} (${rotated.alg}) is in use; earlier keys stay published.`);
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
    case "auditor create": {
      if ((values.platform === undefined) === (values.all !== true)) {
        throw new UsageError("auditor create needs either --platform ID or --all");
      }
      const issued = (await operatorCommand(config, "auditor.create", {
        platformId: values.platform ?? null,
        ...(values.label !== undefined && { label: values.label }),
      })) as IssuedAuditorToken;
      console.log(`Auditor token created.
  scope:   ${issued.scope.kind === "all" ? "all platforms" : `platform ${issued.scope.platformId}`}
  prefix:  ${issued.prefix}
  token:   ${issued.token}

Give the token to the auditor now: it is shown only once. It reads the audit log of its scope
and changes nothing. Revoke it with: vergewis auditor revoke --prefix ${issued.prefix}`);
      return 0;
    }
    case "auditor revoke": {
      if (!values.prefix) throw new UsageError("auditor revoke needs --prefix");
      const revoked = (await operatorCommand(config, "auditor.revoke", { prefix: values.prefix })) as boolean;
      console.log(
        revoked ? `Auditor token ${values.prefix}… revoked.` : `No active auditor token starts with ${values.prefix}.`,
      );
      return revoked ? 0 : 1;
    }
    case "platform configure": {
      if (!values.id) throw new UsageError("platform configure needs --id");
      const template = values["content-url-template"];
      const platform = (await operatorCommand(config, "platform.configure", {
        id: values.id,
        ...(values["sla-minutes"] !== undefined && { slaMinutes: Number(values["sla-minutes"]) }),
        ...(template !== undefined && { contentUrlTemplate: template === "" ? null : template }),
      })) as PlatformSettings;
      console.log(`Platform "${platform.name}" configured.
  SLA:                   ${platform.slaSeconds / 60} minutes
  content URL template:  ${platform.contentUrlTemplate ?? "(none)"}`);
      return 0;
    }
    case "flagger create": {
      if (!values.name) throw new UsageError("flagger create needs --name");
      const flagger = (await operatorCommand(config, "flagger.create", { name: values.name })) as CreatedFlagger;
      console.log(`Trusted flagger "${flagger.name}" registered.
  id:     ${flagger.id}
  token:  ${flagger.token}

Give the token to the flagger over a secure channel: it is shown only once. Reports sent with
"Authorization: Bearer <token>" to POST /v1/reports are marked as theirs and handled first.`);
      return 0;
    }
    case "flagger revoke": {
      if (!values.id) throw new UsageError("flagger revoke needs --id");
      const flagger = (await operatorCommand(config, "flagger.revoke", { id: values.id })) as TrustedFlagger;
      console.log(`Trusted flagger "${flagger.name}" revoked.`);
      return 0;
    }
    case "flagger list": {
      const flaggers = (await operatorCommand(config, "flagger.list", {})) as Array<
        TrustedFlagger & { revoked: boolean }
      >;
      for (const f of flaggers) console.log(`${f.id}  ${f.revoked ? "revoked" : "active "}  ${f.name}`);
      if (flaggers.length === 0) console.log("No trusted flaggers.");
      return 0;
    }
    default:
      throw new UsageError(`unknown command: ${positionals.join(" ")}`);
  }
}

interface LogVerifyFlags {
  url?: string | undefined;
  token?: string | undefined;
  key?: string | undefined;
  state?: string | undefined;
  progress?: boolean | undefined;
}

async function logVerify(flags: LogVerifyFlags): Promise<number> {
  if (!flags.url || !URL.canParse(flags.url) || !/^https?:$/.test(new URL(flags.url).protocol)) {
    throw new UsageError("log verify needs --url with the server's http(s) URL");
  }
  const token = flags.token ?? process.env.VERGEWIS_AUDITOR_TOKEN;
  if (!token) throw new UsageError("log verify needs an auditor token: set VERGEWIS_AUDITOR_TOKEN (or pass --token)");
  const statePath =
    flags.state ??
    path.join(
      process.env.XDG_STATE_HOME ?? path.join(process.env.HOME ?? ".", ".local", "state"),
      "vergewis",
      `${new URL(flags.url).host.replaceAll(":", "_")}.json`,
    );
  const bar = flags.progress || process.stderr.isTTY ? progressBar(process.stderr, "Verifying") : undefined;
  let result;
  try {
    result = await verifyRemoteLog({
      url: flags.url,
      token,
      verifierKey: flags.key,
      statePath,
      ...(bar && { onProgress: (done: number, total: number) => bar.update(done, total) }),
    });
  } finally {
    bar?.done();
  }
  if (result.keyFromServer) {
    console.log(`Trusting the server's key on first use: ${result.verifierKey}
Compare it with the key you were given.`);
  }
  if (!result.ok) {
    const where = result.problem!.index !== undefined ? ` (first bad index: ${result.problem!.index})` : "";
    console.log(`✖ The log does NOT verify [${result.problem!.code}]${where}: ${result.problem!.message}.`);
    return 1;
  }
  console.log(
    `✔ Verified ${result.treeSize.toLocaleString("en")} entries of ${result.origin}: root ${result.rootHash} matches the signed checkpoint.`,
  );
  console.log(
    result.previousSize === undefined
      ? `Saved this checkpoint to ${statePath}; the next run checks that the log only grew.`
      : `The log extends, unchanged, the ${result.previousSize.toLocaleString("en")} entries verified before (${statePath}).`,
  );
  return 0;
}

async function worker(config: Config): Promise<number> {
  const running = await startWorkerProcess(config);
  // Handlers before the ready line, as for start.
  const signalled = new Promise<void>((resolve) => {
    process.once("SIGINT", () => resolve());
    process.once("SIGTERM", () => resolve());
  });
  console.log("Vergewis worker running.");
  await signalled;
  await running.close();
  return 0;
}

async function start(config: Config): Promise<number> {
  const server = await startServer(config);
  // Handlers first: whoever waits for the ready line may signal as soon as it reads it, and a
  // signal without a handler would kill the process instead of stopping it gracefully.
  const signalled = new Promise<undefined>((resolve) => {
    process.once("SIGINT", () => resolve(undefined));
    process.once("SIGTERM", () => resolve(undefined));
  });
  console.log(`Vergewis API: ${server.url}`);
  const lost = await Promise.race([signalled, server.lost]);
  if (lost) server.ctx.log.fatal({ reason: lost }, "the database is gone; stopping");
  await server.close();
  return lost ? 1 : 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof ConfigError) {
      console.error(`Invalid configuration:\n${error.message}`);
      process.exit(2);
    }
    if (error instanceof RemoteError) {
      console.error(`The server refused: ${error.message}`);
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

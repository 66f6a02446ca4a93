#!/usr/bin/env node
import { parseArgs } from "node:util";
import { configFromEnv, loadConfig } from "../config/load.ts";
import type { Config, ConfigInput } from "../config/schema.ts";
import { ConfigError } from "../errors.ts";
import {
  GLOBAL_OPTIONS,
  UnknownCommandError,
  UsageError,
  type CliContext,
  type Command,
  type OptionSpecs,
} from "./command.ts";
import { COMMANDS } from "./table.ts";
import { commandUsage, usage } from "./usage.ts";

/** The `vergewis` command: finds the command in the table, then lets it parse its own options. */
async function main(args: string[]): Promise<number> {
  // Every command's options, so that the command's words can be told from option values wherever
  // they stand; the command then parses `args` again, strictly, against its own.
  const options: OptionSpecs = Object.assign({}, ...COMMANDS.map((command) => command.options), GLOBAL_OPTIONS);
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options });
  const command = COMMANDS.find((c) => c.names(positionals));
  if (!command) {
    if (positionals.length > 0 && !values.help) throw new UnknownCommandError(positionals);
    console.log(usage(COMMANDS));
    return values.help ? 0 : 2;
  }
  try {
    if (values.help) {
      console.log(commandUsage(command));
      return 0;
    }
    return await command.invoke(args, context(args));
  } catch (error) {
    if (error instanceof UnknownCommandError) throw error;
    throw isUsageError(error) ? new CommandUsageError(command, error.message) : error;
  }
}

/** The configuration from the environment, `--data-dir`, `--host` and `--port`, loaded on first use. */
function context(args: string[]): CliContext {
  const { values } = parseArgs({ args, options: GLOBAL_OPTIONS, strict: false, allowPositionals: true });
  const flag = (name: keyof typeof GLOBAL_OPTIONS) => (typeof values[name] === "string" ? values[name] : undefined);
  const [dataDir, host, port] = [flag("data-dir"), flag("host"), flag("port")];
  const overrides: ConfigInput = {
    ...(dataDir !== undefined && { dataDir }),
    http: { ...(host !== undefined && { host }), ...(port !== undefined && { port }) },
  };
  let config: Config | undefined;
  return { config: () => (config ??= loadConfig(configFromEnv(), overrides)) };
}

/** A usage error of a known command: shown with that command's usage. */
class CommandUsageError extends UsageError {
  constructor(
    readonly command: Command,
    message: string,
  ) {
    super(message);
  }
}

const isUsageError = (error: unknown): error is Error =>
  error instanceof UsageError ||
  (error instanceof Error && "code" in error && String(error.code).startsWith("ERR_PARSE_ARGS"));

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof ConfigError) {
      console.error(`Invalid configuration:\n${error.message}`);
      process.exit(2);
    }
    if (isUsageError(error)) {
      const help = error instanceof CommandUsageError ? commandUsage(error.command) : usage(COMMANDS);
      console.error(`${error.message}\n\n${help}`);
      process.exit(2);
    }
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);

import { parseArgs } from "node:util";
import type { Config } from "../config/schema.ts";

/** An option of a command: its `parseArgs` type, and what `--help` says about it. */
export interface OptionSpec {
  type: "string" | "boolean";
  short?: string;
  /** The value's placeholder in usage (`--name NAME`); string options only. */
  value?: string;
  /** Shown without brackets in the synopsis. */
  required?: boolean;
  help: string;
}

export type OptionSpecs = Record<string, OptionSpec>;

/** What every command may use: the configuration, loaded when the command first asks for it. */
export interface CliContext {
  config(): Config;
}

/** Options every command accepts: where the data is, where `start` listens, and help. */
export const GLOBAL_OPTIONS = {
  "data-dir": { type: "string", value: "DIR", help: "Embedded data (default ./.vergewis, or VERGEWIS_DATA_DIR)" },
  host: { type: "string", value: "HOST", help: "Where start listens (default 127.0.0.1)" },
  port: { type: "string", value: "PORT", help: "Where start listens (default 8080)" },
  help: { type: "boolean", short: "h", help: "Show this help" },
} as const satisfies OptionSpecs;

type Parsed<O extends OptionSpecs> = ReturnType<
  typeof parseArgs<{ args: string[]; options: O & typeof GLOBAL_OPTIONS; allowPositionals: true }>
>;
/** The flags a command's `run` receives, typed from its option table. */
export type Flags<O extends OptionSpecs> = Parsed<O>["values"];

export interface CommandDefinition<O extends OptionSpecs> {
  /** The words that name it: `platform create`. */
  name: string;
  /** One sentence without its full stop: the command list and the top of its help wrap it. */
  summary: string;
  options: O;
  /** The synopsis after the name, when generating it from `required` does not say it (alternatives). */
  synopsis?: string;
  /** The words after the name that the command takes (`FILE...`); without it, extra words are refused. */
  operands?: string;
  /** Resolves to the exit code; `operands` are the words after the command's name. */
  run(flags: Flags<O>, context: CliContext, operands: string[]): Promise<number>;
}

/** A command as the table holds it: its option table and a parser-runner closed over its types. */
export interface Command {
  name: string;
  summary: string;
  synopsis: string;
  options: OptionSpecs;
  /** Whether the words of `positionals` name this command (the command's words come first). */
  names(positionals: readonly string[]): boolean;
  /** Parses `args` strictly against this command's options (and the global ones) and runs it. */
  invoke(args: string[], context: CliContext): Promise<number>;
}

/** A command file's export: `defineCommand({ name, summary, options, run })`. */
export function defineCommand<const O extends OptionSpecs>(definition: CommandDefinition<O>): Command {
  const parse = (args: string[]): Parsed<O> =>
    parseArgs<{ args: string[]; options: O & typeof GLOBAL_OPTIONS; allowPositionals: true }>({
      args,
      options: { ...definition.options, ...GLOBAL_OPTIONS },
      allowPositionals: true,
    });
  const words = definition.name.split(" ");
  const synopsis = definition.synopsis ?? synopsisOf(definition.options);
  return {
    name: definition.name,
    summary: definition.summary,
    synopsis: [synopsis, definition.operands].filter(Boolean).join(" "),
    options: definition.options,
    names: (positionals) => words.every((word, i) => positionals[i] === word),
    invoke: (args, context) => {
      const { values, positionals } = parse(args);
      const operands = positionals.slice(words.length);
      // A command without operands keeps refusing extra words as an unknown command.
      if (operands.length > 0 && !definition.operands) throw new UnknownCommandError(positionals);
      return definition.run(values, context, operands);
    },
  };
}

function synopsisOf(options: OptionSpecs): string {
  return Object.entries(options)
    .map(([name, spec]) => {
      const flag = `--${name}${spec.value ? ` ${spec.value}` : ""}`;
      return spec.required ? flag : `[${flag}]`;
    })
    .join(" ");
}

/** A command that cannot run as asked: exit code 2, with its usage. */
export class UsageError extends Error {}

/** Words that name no command: exit code 2, with the list of commands. */
export class UnknownCommandError extends UsageError {
  constructor(positionals: readonly string[]) {
    super(`unknown command: ${positionals.join(" ")}`);
  }
}

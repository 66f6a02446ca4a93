import { GLOBAL_OPTIONS, type Command, type OptionSpecs } from "./command.ts";

const WIDTH = 100;
const COLUMN = 32;

/** `vergewis --help`: the command list, generated from the table. */
export function usage(commands: readonly Command[]): string {
  return `Usage: vergewis <command> [options]

Commands:
${commands.map((command) => entry(command.name, command.summary)).join("\n")}

${globalOptions()}

"vergewis <command> --help" lists a command's options.
Configuration comes from environment variables; see the README's table.`;
}

/** `vergewis <command> --help`. */
export function commandUsage(command: Command): string {
  const own = Object.keys(command.options).length ? `\n\nOptions:\n${optionLines(command.options)}` : "";
  return `Usage: vergewis ${command.name}${command.synopsis ? ` ${command.synopsis}` : ""} [options]

${wrap(command.summary, WIDTH, "")}.${own}

${globalOptions()}

Configuration comes from environment variables; see the README's table.`;
}

const globalOptions = () => `Options for every command:\n${optionLines(GLOBAL_OPTIONS)}`;

function optionLines(options: OptionSpecs): string {
  return Object.entries(options)
    .map(([name, spec]) =>
      entry(`${spec.short ? `-${spec.short}, ` : ""}--${name}${spec.value ? ` ${spec.value}` : ""}`, spec.help),
    )
    .join("\n");
}

/** `  term   text`, the text wrapped in its column. */
function entry(term: string, text: string): string {
  const head = `  ${term}`;
  const indent = " ".repeat(COLUMN);
  const body = wrap(text, WIDTH - COLUMN, indent);
  return head.length < COLUMN ? head.padEnd(COLUMN) + body.trimStart() : `${head}\n${body}`;
}

function wrap(text: string, width: number, indent: string): string {
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(" ")) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  lines.push(line);
  return lines.map((l) => indent + l).join("\n");
}

#!/usr/bin/env node
import { parseArgs } from "node:util";
import { startSystem } from "./start.ts";
import { walkthrough } from "./walkthrough.ts";

// `npm start`: the whole system on embedded defaults, stopped cleanly by Ctrl-C or SIGTERM.
const USAGE = `Usage: npm start -- [--data-dir DIR] [--port PORT] [--example-port PORT] [--mail-port PORT]

  --data-dir DIR        Where everything is kept (default ./.vergewis, or VERGEWIS_DATA_DIR)
  --port PORT           The Vergewis server (default 8080, or VERGEWIS_PORT; 0: any free port)
  --example-port PORT   The example platform (default 3000, or EXAMPLE_PORT; 0: any free port)
  --mail-port PORT      The page of caught invitation mails (default 8025, or MAIL_PORT; 0: any free port)`;

let flags;
try {
  flags = parseArgs({
    options: {
      "data-dir": { type: "string" },
      port: { type: "string" },
      "example-port": { type: "string" },
      "mail-port": { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  }).values;
} catch (error) {
  console.error(`${(error as Error).message}\n\n${USAGE}`);
  process.exit(2);
}
if (flags.help) {
  console.log(USAGE);
  process.exit(0);
}

const port = (value: string | undefined, name: string) => {
  if (value === undefined) return undefined;
  if (!/^\d{1,5}$/.test(value) || Number(value) > 65535) {
    console.error(`${name} must be a port number (0 to 65535).\n\n${USAGE}`);
    process.exit(2);
  }
  return Number(value);
};

const options = {
  ...(flags["data-dir"] !== undefined && { dataDir: flags["data-dir"] }),
  ...(flags.port !== undefined && { port: port(flags.port, "--port") }),
  ...(flags["example-port"] !== undefined && { examplePort: port(flags["example-port"], "--example-port") }),
  ...(flags["mail-port"] !== undefined && { mailPort: port(flags["mail-port"], "--mail-port") }),
};

try {
  const system = await startSystem(options);
  console.log(walkthrough(system));
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping…`);
    system.close().then(
      () => {
        console.log("Stopped.");
        process.exit(0);
      },
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
  // The embedded database runs in a process of its own: without it nothing can go on.
  void system.server.lost.then((reason) => {
    if (stopping) return;
    stopping = true;
    console.error(`The database is gone (${reason}); stopping.`);
    void system.close().finally(() => process.exit(1));
  });
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
}

import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import type { ServerContext } from "../context.ts";
import {
  runReceivedOperatorCommand,
  type OperatorArgs,
  type OperatorCommandName,
  type OperatorResult,
} from "./commands.ts";

/**
 * The embedded database can be opened by one process only. While `vergewis start` holds it, the
 * CLI's operator commands reach the running server through this Unix socket in the data
 * directory instead; file permissions (0600, in a 0700 directory) restrict it to the operator.
 */
export const socketPath = (dataDir: string) => path.join(dataDir, "operator.sock");

export async function startOperatorChannel(dataDir: string, ctx: ServerContext): Promise<{ close(): Promise<void> }> {
  const file = socketPath(dataDir);
  fs.rmSync(file, { force: true });
  const server = http.createServer(async (req, res) => {
    try {
      let body = "";
      for await (const chunk of req) body += chunk;
      const { command, args } = JSON.parse(body) as { command: string; args: unknown };
      ctx.log.info({ command }, "operator command");
      const result = await runReceivedOperatorCommand(ctx, command, args);
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ result }));
    } catch (error) {
      res.writeHead(400, { "content-type": "application/json" }).end(JSON.stringify({ error: String(error) }));
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(file, () => resolve());
  });
  fs.chmodSync(file, 0o600);
  return {
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        fs.rmSync(file, { force: true });
      }),
  };
}

/** Sends a command to the server listening in `dataDir`. */
export function sendOperatorCommand<N extends OperatorCommandName>(
  dataDir: string,
  command: N,
  args: OperatorArgs<N>,
): Promise<OperatorResult<N>> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { socketPath: socketPath(dataDir), path: "/", method: "POST", headers: { "content-type": "application/json" } },
      async (res) => {
        let body = "";
        for await (const chunk of res) body += chunk;
        // The server ran the same command: its result is this command's, as JSON.
        const reply: { result: OperatorResult<N>; error?: string } = JSON.parse(body);
        if (res.statusCode === 200) resolve(reply.result);
        else reject(new Error(reply.error ?? `operator command failed (${res.statusCode})`));
      },
    );
    req.on("error", reject);
    req.end(JSON.stringify({ command, args }));
  });
}

// The embedded database's own process, started by process.ts: PGlite behind its
// wire-protocol socket, until the parent says "stop" or goes away.
import { startEmbeddedDatabase } from "./start.ts";
import { DatabaseLockedError } from "../../errors.ts";
import type { EmbeddedProcessMessage } from "./process.ts";

const send = (message: EmbeddedProcessMessage) => process.send?.(message);
const dir = process.argv[2];
if (!dir || !process.send) {
  console.error("usage: started by the Vergewis server with an IPC channel and a data directory");
  process.exit(2);
}

try {
  const database = await startEmbeddedDatabase({ dir });
  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= database.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error("embedded database: stopping failed:", error);
        process.exit(1);
      },
    ));
  // A server waiting on a database that no longer answers would hang: end, and the server learns.
  void database.failed.then((error) => {
    console.error("embedded database: PGlite failed and cannot go on:", error);
    process.exit(1);
  });
  process.on("message", (message) => message === "stop" && void stop());
  // The parent died (even by SIGKILL): close PGlite cleanly rather than linger.
  process.on("disconnect", () => void stop());
  // A terminal's Ctrl-C reaches the whole process group: the server drains its requests first and
  // then says "stop"; only if it never does does this process stop on its own.
  const later = () => setTimeout(() => void stop(), 20_000).unref();
  process.on("SIGINT", later);
  process.on("SIGTERM", later);
  // The parent may have gone while PGlite was starting (killed, or it gave up waiting): the
  // disconnect happened before the handler above, so nobody would ever stop this process.
  if (process.connected) send({ ready: database.url });
  else void stop();
} catch (error) {
  const locked = error instanceof DatabaseLockedError ? { dir: error.dir, pid: error.pid } : undefined;
  if (process.connected) {
    send({ failed: { message: error instanceof Error ? error.message : String(error), ...(locked && { locked }) } });
    process.disconnect();
  }
  process.exitCode = 1;
}

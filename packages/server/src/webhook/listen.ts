import pg from "pg";
import type { Logger } from "pino";
import { OUTBOX_CHANNEL } from "./signal.ts";

const RECONNECT_MS = 1_000;

/**
 * Hears NOTIFY from commits of other instances on one connection of its own (LISTEN needs a
 * session, which a pooled connection is not), reconnecting after the database restarts. Each
 * (re)connection also rings once, to catch up on what was written meanwhile.
 */
export function listenForOutbox(url: string, log: Logger, ring: () => void): { close(): Promise<void> } {
  let closed = false;
  let client: pg.Client | undefined;
  let timer: NodeJS.Timeout | undefined;

  const reconnectLater = () => {
    if (!closed && !timer) timer = setTimeout(connect, RECONNECT_MS);
  };
  const connect = async () => {
    timer = undefined;
    if (closed) return;
    const next = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
    let lost = false;
    const onLost = () => {
      if (lost) return;
      lost = true;
      if (client === next) client = undefined;
      reconnectLater();
    };
    next.on("notification", ring);
    next.on("error", (error) => {
      log.warn({ err: error }, "outbox listener lost its connection");
      onLost();
    });
    next.on("end", onLost);
    try {
      await next.connect();
      await next.query(`LISTEN ${OUTBOX_CHANNEL}`);
      if (closed) return void (await next.end());
      client = next;
      ring();
    } catch (error) {
      log.warn({ err: error }, "outbox listener could not connect; retrying");
      await next.end().catch(() => undefined);
      onLost();
    }
  };
  void connect();
  return {
    async close() {
      closed = true;
      clearTimeout(timer);
      await client?.end().catch(() => undefined);
    },
  };
}

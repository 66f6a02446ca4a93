import pg from "pg";
import type { Logger } from "pino";
import { DELIVERY_CHANNEL } from "./signal.ts";

const RECONNECT_MS = 1_000;

/**
 * Receives the delivery signal (or another `channel`'s, such as the mail signal) of other instances'
 * commits (NOTIFY) on one connection of its own
 * (LISTEN needs a session, which a pooled connection is not), reconnecting after the database
 * restarts. Each (re)connection also receives it once, to catch up on what was written meanwhile.
 */
export function listenForDeliverySignals(
  url: string,
  log: Logger,
  receive: () => void,
  channel = DELIVERY_CHANNEL,
): { close(): Promise<void> } {
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
    next.on("notification", receive);
    next.on("error", (error) => {
      log.warn({ err: error }, "outbox listener lost its connection");
      onLost();
    });
    next.on("end", onLost);
    try {
      await next.connect();
      await next.query(`LISTEN ${channel}`);
      if (closed) return void (await next.end());
      client = next;
      receive();
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

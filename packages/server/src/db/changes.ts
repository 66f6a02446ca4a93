import pg from "pg";
import type { Logger } from "pino";
import type { Tx } from "./client.ts";

const CHANNEL = "vergewis_change";

/**
 * Tells in-process caches (API keys, publish checks) that data behind them changed. One feed per
 * process: a change bumps the generation, and a cached value filled under an older generation is
 * never served again.
 */
class ChangeFeed {
  #generation = 0;
  #trusted = true;
  get generation(): number {
    return this.#generation;
  }
  /** False while changes from other instances could go unnoticed: caches must not be used. */
  get trusted(): boolean {
    return this.#trusted;
  }
  bump(): void {
    this.#generation++;
  }
  setTrusted(trusted: boolean): void {
    this.#trusted = trusted;
    this.#generation++;
  }
}

export const changes = new ChangeFeed();

/**
 * Call inside every transaction that changes what a cache may hold (publication status,
 * fingerprints, API keys, reports). It invalidates this process's caches at once and, through
 * PostgreSQL NOTIFY (delivered when the transaction commits), those of every other instance.
 * On the embedded database the local bump is exact: it has one connection, so no reader can see
 * the old state between this call and the commit and then cache it under the new generation.
 */
export async function signalChange(tx: Tx): Promise<void> {
  changes.bump();
  await tx.$executeRaw`SELECT pg_notify(${CHANNEL}, '')`;
}

/**
 * Listens for other instances' changes on PostgreSQL. While the listening connection is down the
 * feed is untrusted and caches are bypassed; it keeps reconnecting until closed.
 */
export function listenForChanges(url: string, log: Logger): { close(): Promise<void> } {
  let client: pg.Client | undefined;
  let closed = false;
  let retry: NodeJS.Timeout | undefined;
  changes.setTrusted(false);

  const reconnectLater = () => {
    changes.setTrusted(false);
    if (!closed) retry = setTimeout(connect, 1_000);
  };
  const connect = () => {
    const next = new pg.Client({ connectionString: url });
    next.on("notification", () => changes.bump());
    next.on("error", (error) => {
      log.warn({ err: error }, "change listener lost its connection; reconnecting");
      void next.end().catch(() => {});
      reconnectLater();
    });
    next
      .connect()
      .then(() => next.query(`LISTEN ${CHANNEL}`))
      .then(() => {
        if (closed) return void next.end().catch(() => {});
        client = next;
        changes.setTrusted(true);
      })
      .catch(() => {
        void next.end().catch(() => {});
        reconnectLater();
      });
  };
  connect();
  return {
    async close() {
      closed = true;
      clearTimeout(retry);
      await client?.end().catch(() => {});
    },
  };
}

import pg from "pg";
import type { Logger } from "pino";
import type { Signal } from "./transaction.ts";

const CHANGE_CHANNEL = "vergewis_change";
/** NOTIFY payloads must stay under 8000 bytes; a longer list is sent as "everything changed". */
const MAX_PAYLOAD = 7_000;
/** Topics remembered with the position of their last change; past this the feed starts afresh. */
const MAX_TRACKED_TOPICS = 200_000;

/**
 * What a cached value depends on. A change names the topics it touches, so that it drops only the
 * cached values that depend on one of them (a new publication does not drop every publish check).
 */
export const topic = {
  /** Publications and reports that carry this content fingerprint (`sha-256`, `pdq` or `vpdq`). */
  fingerprint: (f: { alg: string; value: string }) => `fp:${f.alg}:${f.value}`,
  /**
   * Any content with a perceptual fingerprint: what near-duplicate decisions depend on, as a
   * change to one file's state can change them for every file near it. `changeSignal` adds it to
   * every change that names a `pdq` or `vpdq` fingerprint.
   */
  perceptual: "fp:perceptual",
  /** An API key, by its public prefix. */
  apiKey: (prefix: string) => `key:${prefix}`,
};

/**
 * The longest a cached value may be served (db/cache.ts keeps none longer); the publish check's
 * decisions live that long. A change older than this concerns only values that have expired
 * anyway, so the feed forgets it.
 */
export const MAX_CACHE_TTL_MS = 2 * 60_000;
/** Changes are forgotten in steps of about this long: when they came is kept per step, not per change. */
const STEP_MS = 1_000;

/**
 * Tells in-process caches (API keys, publish checks) that data behind them changed. Every change
 * advances the feed's position and records it against the topics it touched; a value loaded at
 * position p stays valid while none of its topics changed after p. A change without topics, or a
 * gap in what this process can know (the listener reconnecting), invalidates everything.
 *
 * It remembers only the changes of the last `retainMs` (at least the longest time to live of any
 * cache on it), so that its memory follows the rate of changes rather than every topic ever
 * touched. What was forgotten raises the floor: a value whose load started before a forgotten
 * change (expired by now, or a load still in flight) is no longer taken for current.
 */
export class ChangeFeed {
  readonly retainMs: number;
  #position = 0;
  /** Values loaded before this position are stale, whatever their topics. */
  #floor = 0;
  /** Each topic's last change; in the order of those changes, so the oldest come first. */
  readonly #changedAt = new Map<string, number>();
  /** The changes in steps of about a second: the last of each step and when it came, oldest first. */
  #steps: Array<{ since: number; at: number; last: number }> = [];
  #trusted = true;

  constructor(options: { retainMs?: number } = {}) {
    this.retainMs = options.retainMs ?? MAX_CACHE_TTL_MS;
  }

  get position(): number {
    return this.#position;
  }
  /** False while changes from other instances could go unnoticed: caches must not be used. */
  get trusted(): boolean {
    return this.#trusted;
  }
  /** How many topics it remembers a change of. */
  get trackedTopics(): number {
    return this.#changedAt.size;
  }
  /** True when a value loaded at `position` that depends on `topics` is still current. */
  unchangedSince(position: number, topics: readonly string[]): boolean {
    if (!this.#trusted || position < this.#floor) return false;
    for (const t of topics) if ((this.#changedAt.get(t) ?? 0) > position) return false;
    return true;
  }
  /** Records a change of `topics`, or of everything when `topics` is undefined, made at `now`. */
  touch(topics?: readonly string[], now = Date.now()): void {
    const position = ++this.#position;
    if (!topics || this.#changedAt.size + topics.length > MAX_TRACKED_TOPICS) {
      this.#changedAt.clear();
      this.#steps = [];
      this.#floor = position;
      return;
    }
    for (const t of topics) {
      // Re-inserted, so that the map stays in the order of the last changes.
      this.#changedAt.delete(t);
      this.#changedAt.set(t, position);
    }
    const step = this.#steps[this.#steps.length - 1];
    if (step && now - step.since < STEP_MS) Object.assign(step, { at: now, last: position });
    else this.#steps.push({ since: now, at: now, last: position });
    this.#forget(now);
  }
  setTrusted(trusted: boolean): void {
    this.#trusted = trusted;
    this.touch();
  }

  /** Forgets the steps whose last change came more than `retainMs` ago. */
  #forget(now: number) {
    let old = 0;
    while (old < this.#steps.length && this.#steps[old]!.at < now - this.retainMs) old++;
    if (old === 0) return;
    const forgotten = this.#steps[old - 1]!.last;
    this.#steps = this.#steps.slice(old);
    for (const [t, position] of this.#changedAt) {
      if (position > forgotten) break;
      this.#changedAt.delete(t);
    }
    this.#floor = Math.max(this.#floor, forgotten);
  }
}

export const changes = new ChangeFeed();

/**
 * The signal of a change to what a cache may hold (publication status, fingerprints, API keys,
 * reports), naming the topics it touches: every transaction making one declares it
 * (`effects.signal`). It drops the affected cached values in this process at once and again once
 * the transaction has committed (a read that ran meanwhile may have cached the old state), and,
 * through PostgreSQL NOTIFY, those of every other instance. A change that names a perceptual
 * fingerprint touches `topic.perceptual` too, unless it says that it changes no near-duplicate
 * decision (`nearDuplicates: false`: a new publication, which blocks nothing).
 */
export function changeSignal(named: readonly string[], options: { nearDuplicates?: boolean } = {}): Signal {
  const perceptual = named.some((t) => t.startsWith("fp:pdq:") || t.startsWith("fp:vpdq:"));
  const topics = perceptual && options.nearDuplicates !== false ? [...named, topic.perceptual] : named;
  const payload = JSON.stringify(topics);
  return {
    channel: CHANGE_CHANNEL,
    payload: payload.length <= MAX_PAYLOAD ? payload : "",
    receive: () => changes.touch(topics),
    alsoAtOnce: true,
  };
}

/** The topics a notification names; undefined (everything) for an empty or unreadable payload. */
export function parsePayload(payload: string | undefined): string[] | undefined {
  if (!payload) return undefined;
  try {
    const topics: unknown = JSON.parse(payload);
    return Array.isArray(topics) && topics.every((t) => typeof t === "string") ? topics : undefined;
  } catch {
    return undefined;
  }
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
    // Bounded, as a connect that never completes would never be retried.
    const next = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
    next.on("notification", (message) => changes.touch(parsePayload(message.payload)));
    next.on("error", (error) => {
      log.warn({ err: error }, "change listener lost its connection; reconnecting");
      void next.end().catch(() => {});
      reconnectLater();
    });
    next
      .connect()
      .then(() => next.query(`LISTEN ${CHANGE_CHANNEL}`))
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

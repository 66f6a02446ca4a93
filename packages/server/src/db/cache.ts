import { changes, type ChangeFeed } from "./changes.ts";

interface Entry<V> {
  value: V;
  /** The change feed's position when the value started loading. */
  position: number;
  topics: readonly string[];
  expires: number;
}

/** Expired entries are swept out after this many stores at least (and after as many as the cache holds). */
const MIN_SWEEP_INTERVAL = 1024;

/**
 * A read-through cache that never serves a value after a change to one of the topics it depends
 * on was signalled (db/changes.ts), nor after its time to live (at most the feed's retention). A
 * value is stored only if none of its topics changed while it was being loaded, so a slow read
 * cannot reinstate stale data.
 * Concurrent misses for one key share a single load, unless a change came after it started.
 *
 * Its memory follows what is in use, not what was ever asked for: expired values are swept out
 * every so many stores (keys come from requests, e.g. unknown fingerprints, and would otherwise
 * stay until the bound), and at the bound the oldest value makes room for the newest.
 */
export class ChangeAwareCache<V> {
  /** In the order the values were stored: the first is the oldest. */
  readonly #entries = new Map<string, Entry<V>>();
  readonly #loading = new Map<string, { position: number; topics: readonly string[]; value: Promise<V> }>();
  readonly #maxEntries: number;
  readonly #feed: ChangeFeed;
  #storesUntilSweep = MIN_SWEEP_INTERVAL;

  constructor(maxEntries = 100_000, feed: ChangeFeed = changes) {
    this.#maxEntries = maxEntries;
    this.#feed = feed;
  }

  /** How many values it holds, expired ones not yet swept out included. */
  get size(): number {
    return this.#entries.size;
  }

  async get(key: string, topics: readonly string[], load: () => Promise<{ value: V; ttlMs: number }>): Promise<V> {
    const now = Date.now();
    const hit = this.#entries.get(key);
    if (hit && hit.expires > now && this.#feed.unchangedSince(hit.position, hit.topics)) return hit.value;
    const pending = this.#loading.get(key);
    if (pending && this.#feed.unchangedSince(pending.position, pending.topics)) return pending.value;
    const position = this.#feed.position;
    const value = this.#load(key, { position, topics, started: now }, load);
    this.#loading.set(key, { position, topics, value });
    try {
      return await value;
    } finally {
      if (this.#loading.get(key)?.value === value) this.#loading.delete(key);
    }
  }

  async #load(
    key: string,
    { position, topics, started }: { position: number; topics: readonly string[]; started: number },
    load: () => Promise<{ value: V; ttlMs: number }>,
  ): Promise<V> {
    const { value, ttlMs } = await load();
    // A load that finishes after a later one (started after a change) must not drop its value.
    if ((this.#entries.get(key)?.position ?? -1) > position) return value;
    this.#entries.delete(key);
    // No longer than the feed remembers the changes that would drop it.
    const expires = started + Math.min(ttlMs, this.#feed.retainMs);
    if (ttlMs > 0 && this.#feed.unchangedSince(position, topics))
      this.#store(key, { value, position, topics, expires });
    return value;
  }

  #store(key: string, entry: Entry<V>) {
    if (--this.#storesUntilSweep <= 0) {
      const now = Date.now();
      for (const [k, e] of this.#entries) if (e.expires <= now) this.#entries.delete(k);
      this.#storesUntilSweep = Math.max(MIN_SWEEP_INTERVAL, this.#entries.size);
    }
    if (this.#entries.size >= this.#maxEntries) this.#entries.delete(this.#entries.keys().next().value!);
    this.#entries.set(key, entry);
  }
}

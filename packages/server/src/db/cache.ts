import { changes } from "./changes.ts";

interface Entry<V> {
  value: V;
  generation: number;
  expires: number;
}

/**
 * A read-through cache that never serves a value older than the last change signalled in this
 * process (db/changes.ts), nor older than its time to live. A value is stored only if no change
 * was signalled while it was being loaded, so a slow read cannot reinstate stale data.
 */
export class ChangeAwareCache<V> {
  readonly #entries = new Map<string, Entry<V>>();
  readonly #maxEntries: number;

  constructor(maxEntries = 100_000) {
    this.#maxEntries = maxEntries;
  }

  async get(key: string, load: () => Promise<{ value: V; ttlMs: number }>): Promise<V> {
    const now = Date.now();
    if (!changes.trusted) return (await load()).value;
    const hit = this.#entries.get(key);
    if (hit && hit.generation === changes.generation && hit.expires > now) return hit.value;
    const generation = changes.generation;
    const { value, ttlMs } = await load();
    if (ttlMs > 0 && generation === changes.generation && changes.trusted) {
      if (this.#entries.size >= this.#maxEntries) this.#entries.clear();
      this.#entries.set(key, { value, generation, expires: now + ttlMs });
    }
    return value;
  }
}

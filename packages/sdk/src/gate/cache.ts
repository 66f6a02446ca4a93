import type { GateDecision } from "./decision.ts";

interface Entry {
  startedAt: number;
  decision: Promise<GateDecision>;
}

/**
 * Recent answers of the server, keyed by target. An entry counts from the moment its request was
 * *sent*, not answered: any change the server made before that moment is in the answer, so a
 * revocation becomes visible at most `maxAgeMs` after it happened. Callers that ask while a
 * request is in flight share it (no stampede on a popular item). Oldest entries go first when full.
 */
export class DecisionCache {
  readonly #entries = new Map<string, Entry>();
  readonly #maxAgeMs: number;
  readonly #maxEntries: number;

  constructor(options: { maxAgeMs: number; maxEntries: number }) {
    this.#maxAgeMs = options.maxAgeMs;
    this.#maxEntries = options.maxEntries;
  }

  get(key: string, now: number): Promise<GateDecision> | undefined {
    const entry = this.#entries.get(key);
    if (!entry) return undefined;
    if (now - entry.startedAt < this.#maxAgeMs) return entry.decision;
    this.#entries.delete(key);
    return undefined;
  }

  set(key: string, startedAt: number, decision: Promise<GateDecision>): void {
    this.#entries.delete(key);
    if (this.#entries.size >= this.#maxEntries) this.#entries.delete(this.#entries.keys().next().value!);
    this.#entries.set(key, { startedAt, decision });
  }

  /** Removes `key`, but only the entry for `decision` when given (a newer one stays). */
  delete(key: string, decision?: Promise<GateDecision>): void {
    if (decision === undefined || this.#entries.get(key)?.decision === decision) this.#entries.delete(key);
  }

  /** Removes every entry whose key starts with `prefix`: one content's answers for every use. */
  deletePrefix(prefix: string): void {
    for (const key of this.#entries.keys()) if (key.startsWith(prefix)) this.#entries.delete(key);
  }

  get size(): number {
    return this.#entries.size;
  }
}

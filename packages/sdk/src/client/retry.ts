const BASE_BACKOFF_MS = 500;
const MAX_BACKOFF_MS = 8_000;

/**
 * The longest `Retry-After` the client waits out by itself. A server asking for more is better
 * answered by the caller (who may queue the work) than by a call that hangs for minutes.
 */
export const MAX_RETRY_AFTER_MS = 60_000;

/** RFC 9110 §10.2.3 `Retry-After`: delay-seconds or an HTTP-date; undefined when absent or malformed. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (value === null) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  if (!/[a-z]/i.test(text)) return undefined;
  const date = Date.parse(text);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/**
 * Exponential backoff with full jitter ("Exponential Backoff and Jitter", AWS Architecture Blog):
 * a uniformly random wait below a ceiling that doubles per attempt, so that clients that failed
 * together do not retry together.
 */
export function backoffMs(attempt: number, random: () => number = Math.random): number {
  const ceiling = Math.min(MAX_BACKOFF_MS, BASE_BACKOFF_MS * 2 ** attempt);
  return Math.floor(random() * ceiling);
}

/** Statuses that say "not now" rather than "not this": the request may succeed when sent again. */
export const RETRYABLE_STATUSES: ReadonlySet<number> = new Set([429, 503]);

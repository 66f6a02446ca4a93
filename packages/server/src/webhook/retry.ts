export interface RetryPolicy {
  /** Delay after the first failed attempt (ms). */
  initialDelay: number;
  /** Longest delay between attempts (ms). */
  maxDelay: number;
  /** Keep retrying at least this long after the delivery was queued (ms); then give up. */
  window: number;
}

/**
 * When to try again after `attempts` failed attempts, the last one started at `startedAt`, or
 * undefined to give up (dead-letter). Exponential backoff with "equal jitter": the delay doubles
 * per attempt up to `maxDelay`, and half of it is random, so receivers coming back after an outage
 * are not hit by every sender at once. Attempts go on until one that *started* after `window` has
 * failed: the attempts span at least the window.
 */
export function nextAttemptAt(
  policy: RetryPolicy,
  attempts: number,
  queuedAt: Date,
  startedAt: Date,
  now: Date,
  random: () => number = Math.random,
): Date | undefined {
  if (startedAt.getTime() - queuedAt.getTime() >= policy.window) return undefined;
  const ceiling = Math.min(policy.maxDelay, policy.initialDelay * 2 ** Math.min(Math.max(attempts - 1, 0), 40));
  return new Date(now.getTime() + ceiling / 2 + random() * (ceiling / 2));
}

import { describe, expect, test } from "vitest";
import { nextAttemptAt, type RetryPolicy } from "./retry.ts";

const policy: RetryPolicy = { initialDelay: 5_000, maxDelay: 3_600_000, window: 86_400_000 };
const HOUR = 3_600_000;

describe("nextAttemptAt", () => {
  test("doubles the delay per attempt, with up to half of it random", () => {
    const queued = new Date(0);
    const at = (attempts: number, r: number) =>
      nextAttemptAt(policy, attempts, queued, queued, queued, () => r)!.getTime();
    expect([1, 2, 3, 4].map((n) => at(n, 0))).toEqual([2_500, 5_000, 10_000, 20_000]);
    expect([1, 2, 3, 4].map((n) => at(n, 0.999_999))).toEqual(
      [1, 2, 3, 4].map((n) => expect.closeTo(5_000 * 2 ** (n - 1), -1)),
    );
  });

  test("caps the delay at maxDelay", () => {
    const queued = new Date(0);
    expect(nextAttemptAt(policy, 30, queued, queued, queued, () => 1)!.getTime()).toBe(HOUR);
    expect(nextAttemptAt(policy, 5_000, queued, queued, queued, () => 0)!.getTime()).toBe(HOUR / 2);
  });

  test("keeps trying for at least the window, then gives up", () => {
    const queued = new Date(0);
    // Each attempt takes 10 s (a timeout), and the backoff counts from its end.
    let start = queued;
    let attempts = 0;
    for (;;) {
      attempts++;
      const end = new Date(start.getTime() + 10_000);
      const next = nextAttemptAt(policy, attempts, queued, start, end);
      if (!next) break;
      expect(next.getTime()).toBeGreaterThan(end.getTime());
      start = next;
    }
    expect(start.getTime()).toBeGreaterThanOrEqual(policy.window);
    expect(start.getTime()).toBeLessThan(policy.window + policy.maxDelay + 10_000);
    expect(attempts).toBeGreaterThan(20);
    expect(attempts).toBeLessThan(60);
  });
});

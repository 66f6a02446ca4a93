import { describe, expect, test } from "vitest";
import { backoffMs, parseRetryAfter } from "./retry.ts";

describe("parseRetryAfter", () => {
  const now = Date.parse("2026-11-25T12:00:00Z");

  test("reads delay-seconds", () => {
    expect(parseRetryAfter("0", now)).toBe(0);
    expect(parseRetryAfter("3", now)).toBe(3000);
    expect(parseRetryAfter(" 120 ", now)).toBe(120_000);
  });

  test("reads an HTTP-date relative to now, never negative", () => {
    expect(parseRetryAfter("Wed, 25 Nov 2026 12:00:05 GMT", now)).toBe(5000);
    expect(parseRetryAfter("Wed, 25 Nov 2026 11:59:00 GMT", now)).toBe(0);
  });

  test("ignores absent and malformed values", () => {
    for (const value of [null, "", "soon", "-1", "1.5", "12abc"]) expect(parseRetryAfter(value, now)).toBeUndefined();
  });
});

describe("backoffMs", () => {
  test("stays below a ceiling that doubles per attempt and is capped", () => {
    const almostOne = () => 0.999999;
    expect([0, 1, 2, 3, 4, 5, 10].map((a) => backoffMs(a, almostOne))).toEqual([
      499, 999, 1999, 3999, 7999, 7999, 7999,
    ]);
    expect(backoffMs(3, () => 0)).toBe(0);
  });
});

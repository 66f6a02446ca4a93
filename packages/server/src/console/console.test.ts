import { describe, expect, test } from "vitest";
import { formatDuration, formatPercent, latencySeries, translate } from "./messages.ts";
import { readSession, sessionValue } from "./session.ts";

describe("formatDuration", () => {
  test.each([
    [0, "0 ms"],
    [0.25, "250 ms"],
    [0.0004, "0 ms"],
    [0.9996, "1 s"],
    [1.4, "1 s"],
    [-0.5, "−500 ms"],
    [45, "45 s"],
    [60, "1 min"],
    [125, "2 min 5 s"],
    [3600, "1 h"],
    [5400, "1 h 30 min"],
    [86_400 * 3 + 5, "3 d"],
    [86_400 + 3600 * 4, "1 d 4 h"],
    [-90, "−1 min 30 s"],
    [null, "–"],
  ])("%s s → %s", (seconds, text) => {
    expect(formatDuration(seconds)).toBe(text);
  });

  test("the latency chart's unit follows the data: sub-second takedowns in ms, not flat at 0", () => {
    const day = (p50: number | null, p95: number | null) => ({ latencyP50Seconds: p50, latencyP95Seconds: p95 });
    expect(latencySeries([day(0.12, 0.3), day(null, null), day(0.05, 0.08)])).toEqual({
      unit: "ms",
      p50: [120, null, 50],
      p95: [300, null, 80],
    });
    expect(latencySeries([day(2, 45.5)])).toEqual({ unit: "s", p50: [2], p95: [45.5] });
    expect(latencySeries([day(30, 90)])).toEqual({ unit: "min", p50: [0.5], p95: [1.5] });
    expect(latencySeries([day(300, 5400)])).toEqual({ unit: "h", p50: [0.083], p95: [1.5] });
    expect(latencySeries([day(3600, 172_800)])).toEqual({ unit: "d", p50: [0.042], p95: [2] });
    expect(latencySeries([day(null, null)])).toEqual({ unit: "ms", p50: [null], p95: [null] });
  });

  test("percentages follow the language", () => {
    expect(formatPercent("en", 0.5)).toBe("50%");
    expect(formatPercent("nl", 0.125)).toBe("12,5%");
    expect(formatPercent("en", null)).toBe("–");
  });

  test("every placeholder is filled in both languages", () => {
    expect(translate("nl")("event.title", { index: 7 })).toBe("Logregel 7");
    expect(translate("en")("scope.platform", { id: "x" })).toBe("Scope: platform x");
  });
});

describe("console sessions", () => {
  const secret = Buffer.from("0123456789abcdef0123456789abcdef");
  const tokenId = "01900000-0000-7000-8000-000000000000";

  test("round-trip while valid, refused when changed, expired or under another secret", () => {
    const now = Date.now();
    const value = sessionValue(secret, tokenId, now);
    expect(readSession(secret, value, now)).toBe(tokenId);
    expect(readSession(secret, value, now + 8 * 3600_000 + 1000)).toBeUndefined();
    expect(readSession(Buffer.from("another"), value, now)).toBeUndefined();
    const [id, expires, tag] = value.split(".");
    expect(readSession(secret, `${id}.${Number(expires) + 3600}.${tag}`, now)).toBeUndefined();
    expect(readSession(secret, `01900000-0000-7000-8000-000000000001.${expires}.${tag}`, now)).toBeUndefined();
    expect(readSession(secret, undefined, now)).toBeUndefined();
    expect(readSession(secret, "garbage", now)).toBeUndefined();
  });
});

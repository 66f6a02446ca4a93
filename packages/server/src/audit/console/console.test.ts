import { describe, expect, test } from "vitest";
import { formatDuration, formatPercent, translate } from "./messages.ts";
import { readSession, sessionValue } from "./session.ts";

describe("formatDuration", () => {
  test.each([
    [0, "0 s"],
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

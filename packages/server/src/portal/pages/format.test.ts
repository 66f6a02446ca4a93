import { describe, expect, test } from "vitest";
import { countryNames, duration, formatDate, formatDateTime, listOf, timeAgo } from "./format.ts";

describe("portal formatting", () => {
  test("dates in the Netherlands' time zone, in the reader's language", () => {
    // 23:30 UTC on 31 December is already 1 January in Amsterdam.
    expect(formatDate("en", "2027-12-31T23:30:00.000Z")).toBe("1 January 2028");
    expect(formatDate("nl", "2027-12-31T23:30:00.000Z")).toBe("1 januari 2028");
    expect(formatDateTime("en", "2026-07-01T10:04:00.000Z")).toBe("1 July 2026 at 12:04 CEST");
    expect(formatDateTime("nl", "2026-11-25T15:04:00.000Z")).toBe("25 november 2026 om 16:04 CET");
  });

  test("time since, with a word of its own under a minute", () => {
    const now = new Date("2026-11-25T12:00:00.000Z");
    expect(timeAgo("en", "2026-11-25T11:59:30.000Z", now, "just now")).toBe("just now");
    expect(timeAgo("en", "2026-11-25T11:57:00.000Z", now, "just now")).toBe("3 minutes ago");
    expect(timeAgo("nl", "2026-11-25T09:00:00.000Z", now, "zojuist")).toBe("3 uur geleden");
    expect(timeAgo("en", "2026-11-24T11:00:00.000Z", now, "just now")).toBe("yesterday");
  });

  test("a platform's deadline in words", () => {
    expect(duration("en", 86_400)).toBe("24 hours");
    expect(duration("nl", 86_400)).toBe("24 uur");
    expect(duration("en", 3 * 86_400)).toBe("3 days");
    expect(duration("en", 5_400)).toBe("90 minutes");
    expect(duration("en", 60)).toBe("1 minute");
  });

  test("countries by name, sorted and listed in the reader's language", () => {
    expect(listOf("en", countryNames("en", ["NL", "BE", "DE"]))).toBe("Belgium, Germany and the Netherlands");
    expect(listOf("en", countryNames("en", ["US", "NL", "FR"]))).toBe("France, the Netherlands and the United States");
    expect(listOf("nl", countryNames("nl", ["NL", "BE", "DE"]))).toBe("België, Duitsland en Nederland");
  });
});

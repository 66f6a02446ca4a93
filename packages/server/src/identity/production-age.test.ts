import { describe, expect, test } from "vitest";
import { ageAtProduction, ageOnDate, ageOutcome } from "./production-age.ts";

const today = "2026-06-15";

describe("age on a past date from the provider's claims", () => {
  test.each([
    [{ birthdate: "2008-05-16" }, "2026-05-16", "adult"], // 18 that day
    [{ birthdate: "2008-05-16" }, "2026-05-15", "minor"],
    [{ birthdate: "1990-05-01" }, "2020-01-01", "adult"],
    [{ birthdate: "2008" }, "2026-05-15", "unknown"], // the year alone cannot tell
    [{ age_over_18: true }, "2026-06-15", "adult"],
    [{ age_over_18: true }, "2026-06-14", "unknown"], // adult today says nothing about yesterday
    [{ age_over_18: true, age_over_21: true }, "2023-06-15", "adult"],
    [{ age_over_18: true, age_over_21: true }, "2023-06-14", "unknown"],
    [{ age_over_18: true, age_over_21: false }, "2023-06-15", "minor"], // under 21: 18 less than 3 years ago
    [{ age_over_18: true, age_over_21: false }, "2024-01-01", "unknown"],
    [{ birthdate: "1990-05-01", age_over_21: false }, "2020-01-01", "unknown"], // evidence that disagrees
    [{ age_over_17: true }, "2026-06-15", "unknown"], // below 18: no evidence
    [{ age_over_21: "yes" }, "2026-06-15", "unknown"],
    [{}, "2026-06-15", "unknown"],
  ])("%j on %s: %s", (claims, date, expected) => {
    expect(ageOnDate(claims, today, date)).toBe(expected);
  });
});

describe("what a verification keeps", () => {
  test("dates and outcomes only; no production date asked: adult on the day of verification", () => {
    expect(ageOutcome({ birthdate: "1990-05-01" }, today)).toEqual({ adultOn: today, minorOn: null });
    expect(ageOutcome({ birthdate: "1990-05-01" }, today, "2020-01-01")).toEqual({
      adultOn: "2020-01-01",
      minorOn: null,
      production: { date: "2020-01-01", outcome: "adult" },
    });
    expect(ageOutcome({ birthdate: "2008-05-16" }, today, "2026-01-01")).toEqual({
      adultOn: today,
      minorOn: "2026-01-01",
      production: { date: "2026-01-01", outcome: "minor" },
    });
    expect(ageOutcome({ age_over_18: true }, today, "2026-01-01")).toEqual({
      adultOn: today,
      minorOn: null,
      production: { date: "2026-01-01", outcome: "unknown" },
    });
  });

  test("judges a production date against the kept outcome", () => {
    const kept = { adultOn: "2026-03-01", minorOn: "2026-01-01" };
    expect(ageAtProduction(kept, "2026-03-01")).toBe("adult");
    expect(ageAtProduction(kept, "2026-06-01")).toBe("adult");
    expect(ageAtProduction(kept, "2026-02-01")).toBe("unverified");
    expect(ageAtProduction(kept, "2026-01-01")).toBe("minor");
    expect(ageAtProduction(kept, "2025-06-01")).toBe("minor");
    expect(ageAtProduction(kept, null)).toBe("adult");
  });
});

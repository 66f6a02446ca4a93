import { describe, expect, test } from "vitest";
import { adultOn, amsterdamDate, decideAge } from "./age.ts";

describe("the calendar day in Amsterdam", () => {
  test.each([
    ["2026-06-30T21:59:59Z", "2026-06-30"], // CEST, UTC+2
    ["2026-06-30T22:00:00Z", "2026-07-01"],
    ["2026-12-31T22:59:59Z", "2026-12-31"], // CET, UTC+1
    ["2026-12-31T23:00:00Z", "2027-01-01"],
  ])("%s is %s", (instant, day) => {
    expect(amsterdamDate(new Date(instant))).toBe(day);
  });
});

describe("adult on a day", () => {
  test.each([
    ["2008-06-15", "2026-06-15", true], // 18 today
    ["2008-06-16", "2026-06-15", false], // 18 tomorrow
    ["2008-06-14", "2026-06-15", true],
    ["1990-05-01", "2026-06-15", true],
    // Born on 29 February: 18 on 1 March in a common year, never earlier.
    ["2008-02-29", "2026-02-28", false],
    ["2008-02-29", "2026-03-01", true],
    ["2008-02-29", "2028-02-29", true],
    // Year only: certainly adult from 1 January of the 19th year, certainly minor before the 18th.
    ["2007", "2026-01-01", true],
    ["2008", "2026-12-31", undefined],
    ["2009", "2026-12-31", false],
    // Unusable: year withheld, impossible dates, the future, other formats.
    ["0000-05-01", "2026-06-15", undefined],
    ["2001-02-30", "2026-06-15", undefined],
    ["2030-01-01", "2026-06-15", undefined],
    ["01-05-1990", "2026-06-15", undefined],
    ["", "2026-06-15", undefined],
  ])("born %s, on %s → %s", (birthdate, today, expected) => {
    expect(adultOn(birthdate, today)).toBe(expected);
  });
});

describe("the decision", () => {
  const today = "2026-06-15";
  test.each([
    [{ age_over_18: true }, { over18: true, basis: "age_over_18" }],
    [{ birthdate: "2008-06-15" }, { over18: true, basis: "birthdate" }],
    [
      { age_over_18: true, birthdate: "1990-05-01" },
      { over18: true, basis: "age_over_18" },
    ],
    [{ birthdate: "2008-06-16" }, { over18: false, reason: "under_18" }],
    [{ age_over_18: false }, { over18: false, reason: "under_18" }],
    [{}, { over18: false, reason: "age_unknown" }],
    [{ age_over_18: "true" }, { over18: false, reason: "age_unknown" }],
    [{ age_over_18: 1 }, { over18: false, reason: "age_unknown" }],
    [{ birthdate: 19900501 }, { over18: false, reason: "age_unknown" }],
    [{ birthdate: "0000-01-01" }, { over18: false, reason: "age_unknown" }],
    [
      { age_over_18: true, birthdate: "2010-01-01" },
      { over18: false, reason: "conflicting_claims" },
    ],
    [
      { age_over_18: false, birthdate: "1990-01-01" },
      { over18: false, reason: "conflicting_claims" },
    ],
  ])("%j → %j", (claims, decision) => {
    expect(decideAge(claims, today)).toEqual(decision);
  });
});

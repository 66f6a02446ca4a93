import { describe, expect, test } from "vitest";
import { decideAge } from "../age.ts";
import { ageOnDate } from "../production-age.ts";
import { findTestIdentity, RECENT_DAYS, testIdentities } from "./identities.ts";

describe("test identities", () => {
  test.each([
    // 23:30 UTC on 28 February 2027 is already 1 March in Amsterdam.
    "2027-02-28T23:30:00Z",
    "2026-06-15T12:00:00Z",
    // Leap days: today, and tomorrow, are 29 February.
    "2028-02-29T12:00:00Z",
    "2028-02-28T12:00:00Z",
  ])("on %s they sit exactly on the edges of the decision", (instant) => {
    const now = new Date(instant);
    const today = new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/Amsterdam" }).format(now);
    const day = (offset: number) =>
      new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/Amsterdam" }).format(
        new Date(now.getTime() + offset * 86_400_000),
      );
    const decisions = Object.fromEntries(testIdentities(now).map((i) => [i.id, decideAge(i.claims, today)]));
    expect(decisions).toMatchObject({
      adult: { over18: true },
      "eighteen-today": { over18: true, basis: "birthdate" },
      minor: { over18: false, reason: "under_18" },
      "no-birthdate": { over18: false, reason: "age_unknown" },
      "low-assurance": { over18: true },
      "wallet-over18": { over18: true, basis: "age_over_18" },
      "recent-adult": { over18: true, basis: "birthdate" },
      "wallet-over21": { over18: true, basis: "age_over_18" },
    });
    // The recent adult was a minor the day before turning 18, thirty days ago.
    const recent = testIdentities(now).find((i) => i.id === "recent-adult")!;
    expect(ageOnDate(recent.claims, today, day(-RECENT_DAYS))).toBe("adult");
    expect(ageOnDate(recent.claims, today, day(-RECENT_DAYS - 1))).toBe("minor");
    // The minor comes of age tomorrow; when tomorrow is 29 February nobody born 18 years earlier
    // can (there was no such day), so the minor comes of age the day after, 1 March.
    const comingOfAge = day(1).endsWith("-02-29") ? day(2) : day(1);
    const minor = testIdentities(now).find((i) => i.id === "minor")!;
    expect(decideAge(minor.claims, comingOfAge)).toMatchObject({ over18: true });
  });

  test("`+suffix` gives another person with the same profile; anything else is unknown", () => {
    expect(findTestIdentity("adult+2")).toMatchObject({ id: "adult", subject: "adult+2" });
    expect(findTestIdentity("adult")).toMatchObject({ subject: "adult" });
    for (const login of ["nobody", "adult+", "adult+a b", "ADULT", "adult+<script>"]) {
      expect(findTestIdentity(login)).toBeUndefined();
    }
  });
});

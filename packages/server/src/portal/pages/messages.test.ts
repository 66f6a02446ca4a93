import { describe, expect, test } from "vitest";
import { en, nl, type MessageKey } from "./messages.ts";

// Words that are the same in both languages.
const SAME_IN_DUTCH = new Set<MessageKey>([
  "nav.account",
  "account.title",
  "account.passkeysTitle",
  "consent.platform",
  "consent.status",
  "dashboard.details",
]);

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe("the portal's catalogue", () => {
  test("Dutch and English have the same keys", () => {
    expect(Object.keys(nl).sort()).toEqual(Object.keys(en).sort());
  });

  test("every text takes the same placeholders in both languages", () => {
    for (const key of Object.keys(en) as MessageKey[]) {
      expect([key, placeholders(nl[key])]).toEqual([key, placeholders(en[key])]);
    }
  });

  test("every Dutch text is translated, except words that are the same in Dutch", () => {
    const untranslated = (Object.keys(en) as MessageKey[]).filter((k) => en[k] === nl[k] && !SAME_IN_DUTCH.has(k));
    expect(untranslated).toEqual([]);
    for (const key of SAME_IN_DUTCH) expect(nl[key]).toBe(en[key]);
  });
});

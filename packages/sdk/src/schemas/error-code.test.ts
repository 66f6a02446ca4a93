import { describe, expect, test } from "vitest";
import { errorCodeSchema, errorCodes, isErrorCode } from "./error-code.ts";

describe("the error catalogue", () => {
  test("every code is snake_case and safe in a URL path, with a one-line meaning", () => {
    for (const [code, meaning] of Object.entries(errorCodes)) {
      expect(code).toMatch(/^[a-z][a-z0-9_]{0,63}$/);
      expect(meaning, code).toMatch(/^\S[^\n]{10,200}\.$/);
    }
  });

  test("tells catalogued codes from others, including Object.prototype's names", () => {
    expect(Object.keys(errorCodes).every(isErrorCode)).toBe(true);
    for (const other of ["made_up_code", "constructor", "__proto__", "toString", ""])
      expect(isErrorCode(other)).toBe(false);
  });

  test("the zod enum is the catalogue", () => {
    expect(errorCodeSchema.options).toEqual(Object.keys(errorCodes));
    expect(errorCodeSchema.safeParse("external_id_taken").success).toBe(true);
    expect(errorCodeSchema.safeParse("cross_origin").success).toBe(false);
  });
});

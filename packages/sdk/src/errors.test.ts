import { describe, expect, expectTypeOf, test } from "vitest";
import { ConflictError } from "./errors.ts";
import type { ErrorCode } from "./schemas/error-code.ts";
import { problemSchema } from "./schemas/problem.ts";

describe("VergewisApiError.code", () => {
  test("is typed by the catalogue, and still carries a code a newer server added", () => {
    const problem = problemSchema.parse({ type: "about:blank", title: "Conflict", status: 409, code: "newer_code" });
    const error = new ConflictError(problem);
    expect(error.code).toBe("newer_code");
    // Checked by tsc: the catalogue's names for autocompletion and comparisons, any string at run time.
    expectTypeOf(error.code).toEqualTypeOf<ErrorCode | (string & {})>();
  });
});

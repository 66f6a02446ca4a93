import { describe, expect, test } from "vitest";
import { inScope, OutOfScopeError, scopedPlatform, type AuditorScope } from "./scope.ts";

const all: AuditorScope = { kind: "all" };
const alpha: AuditorScope = { kind: "platform", platformId: "alpha" };

describe("auditor scope", () => {
  test("a platform's auditor is always limited to that platform", () => {
    expect(scopedPlatform(alpha, undefined)).toBe("alpha");
    expect(scopedPlatform(alpha, "alpha")).toBe("alpha");
    expect(() => scopedPlatform(alpha, "beta")).toThrow(OutOfScopeError);
  });

  test("an all-platforms auditor narrows only when asked", () => {
    expect(scopedPlatform(all, undefined)).toBeUndefined();
    expect(scopedPlatform(all, "beta")).toBe("beta");
  });

  test("entries about no platform are for all-platforms auditors only", () => {
    expect(inScope(all, null)).toBe(true);
    expect(inScope(alpha, null)).toBe(false);
    expect(inScope(alpha, "alpha")).toBe(true);
    expect(inScope(alpha, "beta")).toBe(false);
  });

  test("out of scope is a stable, forbidden error", () => {
    expect(new OutOfScopeError()).toMatchObject({ code: "out_of_scope", kind: "forbidden" });
  });
});

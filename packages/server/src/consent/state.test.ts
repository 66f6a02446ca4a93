import { describe, expect, test } from "vitest";
import { InvalidTransitionError } from "../errors.ts";
import { consentMachine, type ConsentStatus } from "./state.ts";

const STATUSES: ConsentStatus[] = ["active", "revoked", "expired"];
// Design §3, written out independently of the implementation's table.
const LEGAL = new Set(["active>revoked", "active>expired"]);

describe("consent state machine", () => {
  test.each(STATUSES.flatMap((from) => STATUSES.map((to) => [from, to] as const)))("%s → %s", (from, to) => {
    const legal = LEGAL.has(`${from}>${to}`);
    expect(consentMachine.can(from, to)).toBe(legal);
    if (!legal) expect(() => consentMachine.assert(from, to)).toThrow(InvalidTransitionError);
  });

  test("revocation is final", () => {
    expect(consentMachine.transitions.revoked).toEqual([]);
  });
});

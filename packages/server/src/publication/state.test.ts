import { PUBLICATION_STATUSES, type PublicationStatus } from "@vergewis/sdk";
import { describe, expect, test } from "vitest";
import { InvalidTransitionError } from "../errors.ts";
import { publicationMachine } from "./state.ts";

// Design §3, written out independently of the implementation's table.
const LEGAL = new Set([
  "pending>cleared",
  "pending>declined",
  "pending>expired",
  "cleared>takedown_required",
  "cleared>expired",
  "takedown_required>taken_down",
]);

describe("publication state machine", () => {
  const pairs = PUBLICATION_STATUSES.flatMap((from) => PUBLICATION_STATUSES.map((to) => [from, to] as const));

  test.each(pairs)("%s → %s", (from: PublicationStatus, to: PublicationStatus) => {
    const legal = LEGAL.has(`${from}>${to}`);
    expect(publicationMachine.can(from, to)).toBe(legal);
    if (legal) expect(publicationMachine.assert(from, to)).toBe(to);
    else expect(() => publicationMachine.assert(from, to)).toThrow(InvalidTransitionError);
  });

  test("the table covers every status and nothing else", () => {
    expect(Object.keys(publicationMachine.transitions).sort()).toEqual([...PUBLICATION_STATUSES].sort());
  });

  test("final states have no way out", () => {
    for (const final of ["taken_down", "declined", "expired"] as const) {
      expect(publicationMachine.transitions[final]).toEqual([]);
    }
  });

  test("an illegal move names both states and has a stable code", () => {
    const error = (() => {
      try {
        publicationMachine.assert("taken_down", "cleared");
      } catch (e) {
        return e as InvalidTransitionError;
      }
    })();
    expect(error).toMatchObject({ code: "invalid_transition", kind: "conflict", from: "taken_down", to: "cleared" });
  });
});

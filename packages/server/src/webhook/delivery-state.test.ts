import { DELIVERY_STATUSES, REPORT_STATUSES, type DeliveryStatus } from "@vergewis/sdk";
import { describe, expect, test } from "vitest";
import { InvalidTransitionError } from "../errors.ts";
import { reportMachine } from "../report/state.ts";
import { takedownMachine } from "../takedown/state.ts";
import { deliveryMachine } from "./delivery-state.ts";

// Design §3 and the redelivery rule, written out independently of the implementation's tables.
const DELIVERY = new Set([
  "pending>delivered",
  "pending>retrying",
  "pending>dead",
  "retrying>delivered",
  "retrying>retrying",
  "retrying>dead",
  "delivered>pending",
  "dead>pending",
]);

describe("delivery state machine", () => {
  const pairs = DELIVERY_STATUSES.flatMap((from) => DELIVERY_STATUSES.map((to) => [from, to] as const));
  test.each(pairs)("%s → %s", (from: DeliveryStatus, to: DeliveryStatus) => {
    const legal = DELIVERY.has(`${from}>${to}`);
    expect(deliveryMachine.can(from, to)).toBe(legal);
    if (!legal) expect(() => deliveryMachine.assert(from, to)).toThrow(InvalidTransitionError);
  });

  test("covers every status", () => {
    expect(Object.keys(deliveryMachine.transitions).sort()).toEqual([...DELIVERY_STATUSES].sort());
  });
});

describe("takedown and report state machines", () => {
  test("a takedown is acknowledged once, for good", () => {
    expect(takedownMachine.can("open", "acknowledged")).toBe(true);
    expect(takedownMachine.can("acknowledged", "open")).toBe(false);
    expect(takedownMachine.can("open", "open")).toBe(false);
  });

  test("a report is upheld or rejected once, for good", () => {
    const legal = new Set(["open>upheld", "open>rejected"]);
    for (const from of REPORT_STATUSES) {
      for (const to of REPORT_STATUSES) expect(reportMachine.can(from, to)).toBe(legal.has(`${from}>${to}`));
    }
  });
});

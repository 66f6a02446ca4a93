import { describe, expect, it } from "vitest";
import { dueSlots, openLoop } from "./open-loop.ts";

describe("open-loop scheduler", () => {
  it("schedules slot k at k / rate: an open loop that catches up after a stall instead of slowing down", () => {
    expect(dueSlots(0, 500)).toBe(1);
    expect(dueSlots(1.99, 500)).toBe(1);
    expect(dueSlots(2, 500)).toBe(2);
    expect(dueSlots(1000, 500)).toBe(501);
    // A 300 ms stall of the event loop: everything due in it is launched at once on the next tick.
    expect(dueSlots(1300, 500) - dueSlots(1000, 500)).toBe(150);
  });

  it("launches every slot of the run, none before its time, and says how late each was", async () => {
    const start = performance.now();
    const launches: Array<{ slot: number; at: number; lateMs: number }> = [];
    await openLoop(100, 500, (slot, lateMs) => launches.push({ slot, at: performance.now() - start, lateMs }));

    expect(launches.map((l) => l.slot)).toEqual(Array.from({ length: 50 }, (_, k) => k));
    for (const { slot, at, lateMs } of launches) {
      expect(lateMs).toBeGreaterThanOrEqual(0);
      // The lateness reported is the launch time less the slot's time (to the timer's rounding).
      expect(Math.abs(at - slot * 10 - lateMs)).toBeLessThan(1);
    }
  });
});

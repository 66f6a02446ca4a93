import { describe, expect, it } from "vitest";
import { interleave, MIX, parseDuration, requestsPerSecond, scaleMix, type Operation } from "./schedule.ts";

const take = <T>(generator: Generator<T>, n: number) => Array.from({ length: n }, () => generator.next().value as T);
const count = (items: Operation[]) => {
  const counts: Partial<Record<Operation, number>> = {};
  for (const item of items) counts[item] = (counts[item] ?? 0) + 1;
  return counts;
};

describe("soak traffic plan", () => {
  it("makes 500 requests per second at the nominal rate, and scales to any other", () => {
    expect(requestsPerSecond(MIX)).toBe(500);
    expect(requestsPerSecond(scaleMix(MIX, 120))).toBeCloseTo(120, 9);
    // Consents outrun revocations and publications outrun consents: neither pool runs dry.
    const rate = (op: Operation) => MIX.find((e) => e.operation === op)!.perSecond;
    expect(rate("publication")).toBeGreaterThan(rate("consent"));
    expect(rate("consent")).toBeGreaterThan(rate("revocation"));
  });

  it("interleaves each operation exactly its share of every second, spread out rather than in bursts", () => {
    const perSecond = MIX.reduce((sum, e) => sum + e.perSecond, 0);
    const operations = interleave(MIX);
    for (let second = 0; second < 3; second++) {
      const slots = take(operations, perSecond);
      expect(count(slots)).toEqual(Object.fromEntries(MIX.map((e) => [e.operation, e.perSecond])));
      // The 20 publication requests of a second come about 23 slots apart, never in a bunch.
      const positions = slots.flatMap((op, i) => (op === "publication" ? [i] : []));
      const gaps = positions.slice(1).map((p, i) => p - positions[i]!);
      const ideal = perSecond / 20;
      expect(Math.min(...gaps)).toBeGreaterThanOrEqual(ideal / 2);
      expect(Math.max(...gaps)).toBeLessThanOrEqual(ideal * 2);
    }
  });

  it("reads durations as the command line gives them", () => {
    expect(parseDuration("5m")).toBe(300);
    expect(parseDuration("20s")).toBe(20);
    expect(parseDuration("90")).toBe(90);
    expect(parseDuration("1m30s")).toBe(90);
    for (const bad of ["", "0s", "5h", "-3", "m"]) expect(() => parseDuration(bad)).toThrow(/--duration/);
  });
});

import { Writable } from "node:stream";
import pino from "pino";
import { expect, test } from "vitest";
import { StartupTimeoutError, startupSteps } from "./steps.ts";

function capture() {
  const lines: Array<{ level: number; msg: string; step?: string; ms?: number }> = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString()));
      done();
    },
  });
  return { log: pino({ level: "debug" }, stream), lines };
}

test("a step that finishes is logged with its duration and returns its result", async () => {
  const { log, lines } = capture();
  const steps = startupSteps(log);
  const value = await steps.run("quick", () => new Promise((resolve) => setTimeout(() => resolve(42), 20)), 1_000);
  expect(value).toBe(42);
  expect(steps.durations.quick).toBeGreaterThanOrEqual(15);
  expect(lines.map((l) => [l.msg, l.step])).toEqual([
    ["start-up step", "quick"],
    ["start-up step done", "quick"],
  ]);
});

test("a step that never settles fails in time with an error naming it", async () => {
  const { log, lines } = capture();
  const steps = startupSteps(log);
  const started = performance.now();
  const error = await steps.run("stuck", () => new Promise(() => {}), 50).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(StartupTimeoutError);
  expect((error as Error).message).toMatch(/"stuck" did not finish within 0.05 s/);
  expect(performance.now() - started).toBeLessThan(1_000);
  expect(lines.at(-1)).toMatchObject({ level: 50, msg: "start-up step failed", step: "stuck" });
  expect(steps.durations).toEqual({});
});

test("a step that fails passes its own error on, logged with the step's name", async () => {
  const { log, lines } = capture();
  const failure = new Error("no database");
  const error = await startupSteps(log)
    .run("open database", () => Promise.reject(failure), 1_000)
    .catch((e: unknown) => e);
  expect(error).toBe(failure);
  expect(lines.at(-1)).toMatchObject({ level: 50, msg: "start-up step failed", step: "open database" });
});

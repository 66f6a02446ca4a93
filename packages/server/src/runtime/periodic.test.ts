import pino from "pino";
import { expect, test } from "vitest";
import { every } from "../periodic.ts";

const log = pino({ level: "silent" });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

test("runs repeatedly, never overlapping, and survives a failing run", async () => {
  let running = 0;
  let maxRunning = 0;
  let runs = 0;
  const task = every(
    "t",
    5,
    async () => {
      running++;
      maxRunning = Math.max(maxRunning, running);
      runs++;
      await sleep(15);
      running--;
      if (runs === 2) throw new Error("boom");
    },
    log,
  );
  await sleep(120);
  await task.stop();
  const after = runs;
  await sleep(40);
  expect(runs).toBe(after);
  expect(runs).toBeGreaterThanOrEqual(3);
  expect(maxRunning).toBe(1);
});

test("stop waits for the run in progress", async () => {
  let finished = false;
  const task = every(
    "t",
    1,
    async () => {
      await sleep(30);
      finished = true;
    },
    log,
  );
  await sleep(5);
  await task.stop();
  expect(finished).toBe(true);
});

test("the first run may come sooner than the interval", async () => {
  let runs = 0;
  const task = every("t", 60_000, async () => void runs++, log, 1);
  await sleep(50);
  await task.stop();
  expect(runs).toBe(1);
});

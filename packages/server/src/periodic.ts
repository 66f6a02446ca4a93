import type { Logger } from "pino";

export interface PeriodicTask {
  /** Stops scheduling and waits for a run in progress. */
  stop(): Promise<void>;
}

/**
 * Runs `task` every `intervalMs` (the first time after `firstAfterMs`, by default the interval),
 * never overlapping itself; a failing run is logged and the next one goes ahead. Timers are
 * unref'd: they never keep the process alive on their own.
 */
export function every(
  name: string,
  intervalMs: number,
  task: () => Promise<unknown>,
  log: Logger,
  firstAfterMs = intervalMs,
): PeriodicTask {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  let stopped = false;
  const tick = () => {
    running = task()
      .then(
        () => undefined,
        (error: unknown) => log.error({ err: error, task: name }, "periodic task failed"),
      )
      .finally(() => {
        if (!stopped) timer = setTimeout(tick, intervalMs).unref();
      });
  };
  timer = setTimeout(tick, firstAfterMs).unref();
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}

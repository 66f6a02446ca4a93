import type { Logger } from "pino";

/** A start-up step that did not finish in time: the server stops rather than hang half-started. */
export class StartupTimeoutError extends Error {
  constructor(
    readonly step: string,
    readonly timeoutMs: number,
  ) {
    super(`vergewis start: the step "${step}" did not finish within ${timeoutMs / 1000} s; stopping`);
    this.name = "StartupTimeoutError";
  }
}

/** How long a step may take before it is logged (warn) as slow, and again after each such period. */
const SLOW_MS = 10_000;

export interface StartupSteps {
  /**
   * Runs one named step: logged at debug when it begins and with its duration when it ends, a
   * warning while it is slow, and a `StartupTimeoutError` once `timeoutMs` has passed (no bound
   * when undefined: a migration may legitimately take long).
   */
  run<T>(name: string, step: () => Promise<T>, timeoutMs: number | undefined): Promise<T>;
  /** Milliseconds each finished step took, in order. */
  readonly durations: Record<string, number>;
}

export function startupSteps(log: Logger): StartupSteps {
  const durations: Record<string, number> = {};
  return {
    durations,
    async run(name, step, timeoutMs) {
      const started = performance.now();
      const elapsed = () => Math.round(performance.now() - started);
      log.debug({ step: name }, "start-up step");
      const slow = setInterval(
        () => log.warn({ step: name, ms: elapsed() }, "start-up step is still running"),
        SLOW_MS,
      ).unref();
      let timer: NodeJS.Timeout | undefined;
      try {
        const result = await Promise.race([
          step(),
          new Promise<never>((_, reject) => {
            if (timeoutMs !== undefined) {
              timer = setTimeout(() => reject(new StartupTimeoutError(name, timeoutMs)), timeoutMs);
            }
          }),
        ]);
        durations[name] = elapsed();
        log.debug({ step: name, ms: durations[name] }, "start-up step done");
        return result;
      } catch (error) {
        log.error({ step: name, ms: elapsed(), err: error }, "start-up step failed");
        throw error;
      } finally {
        clearInterval(slow);
        clearTimeout(timer);
      }
    },
  };
}

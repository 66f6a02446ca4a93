import type { Vergewis } from "@vergewis/sdk";
import type { TakeDown } from "./take-down.ts";

export interface TakedownPoll {
  /** Runs one pass now: every open or overdue takedown is carried out and acknowledged. */
  runOnce(): Promise<number>;
  stop(): Promise<void>;
}

/**
 * The fallback for a webhook that never arrived (receiver down for longer than the retries, a
 * deleted endpoint): every `intervalMs`, `GET /v1/takedowns?status=open,overdue` and take each
 * one down. Passes never overlap; a failed pass is logged and the next one tries again.
 */
export function startTakedownPoll(options: {
  vergewis: Pick<Vergewis, "takedowns">;
  takeDown: TakeDown;
  intervalMs: number;
  onError?: (error: unknown) => void;
}): TakedownPoll {
  const { vergewis, takeDown, intervalMs } = options;
  const onError = options.onError ?? ((error: unknown) => console.error("takedown poll:", error));
  let running: Promise<number> | undefined;
  let stopped = false;

  async function pass(): Promise<number> {
    let done = 0;
    for await (const takedown of vergewis.takedowns.iterate({ status: ["open", "overdue"] })) {
      if (stopped) break;
      await takeDown({
        takedownId: takedown.id,
        publicationId: takedown.publicationId,
        externalId: takedown.externalId,
      });
      done++;
    }
    return done;
  }

  const runOnce = () => {
    running ??= pass().finally(() => (running = undefined));
    return running;
  };
  const timer = setInterval(() => {
    if (!running) runOnce().catch(onError);
  }, intervalMs);
  timer.unref();

  return {
    runOnce,
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running?.catch(() => {});
    },
  };
}

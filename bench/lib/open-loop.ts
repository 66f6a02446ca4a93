// An open-loop scheduler: work is started at fixed times whether or not earlier work has finished.
// A closed loop (a fixed number of clients, each waiting for its answer) slows down with the
// server and hides exactly the queueing that a latency target at a given rate is about.

/** How many slots are due `elapsedMs` into a run at `perSecond`: slot k is due at k / rate. */
export const dueSlots = (elapsedMs: number, perSecond: number) => Math.floor((elapsedMs * perSecond) / 1000) + 1;

/**
 * Starts `launch(slot, lateMs)` for every slot of `durationMs` at `perSecond` (slot k due at
 * start + k / rate), waking when the next slot is due; a slot is launched late when the event loop
 * was busy (or by the timer's millisecond granularity), and `launch` learns by how much. Resolves
 * when every slot has been launched.
 */
export function openLoop(
  perSecond: number,
  durationMs: number,
  launch: (slot: number, lateMs: number) => void,
): Promise<void> {
  const total = Math.floor((durationMs * perSecond) / 1000);
  const start = performance.now();
  let launched = 0;
  return new Promise((resolve) => {
    const tick = () => {
      const due = Math.min(total, dueSlots(performance.now() - start, perSecond));
      for (; launched < due; launched++) launch(launched, performance.now() - start - (launched * 1000) / perSecond);
      if (launched >= total) resolve();
      else setTimeout(tick, Math.max(0, (launched * 1000) / perSecond - (performance.now() - start)));
    };
    tick();
  });
}

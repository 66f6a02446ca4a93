import type { Signal } from "./transaction.ts";

/**
 * A signal that wakes workers: once a transaction that queued work for them commits, the workers
 * of this process are told at once, and other instances by NOTIFY on `channel`.
 */
export function wakeSignal(channel: string): { signal: Signal; on(receive: () => void): () => void } {
  const receivers = new Set<() => void>();
  return {
    signal: {
      channel,
      payload: "",
      receive() {
        for (const receive of receivers) receive();
      },
    },
    on(receive) {
      receivers.add(receive);
      return () => receivers.delete(receive);
    },
  };
}

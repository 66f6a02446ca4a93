/**
 * Settles on the first SIGINT or SIGTERM. Call it before printing the ready line: whoever waits for
 * that line may signal as soon as it reads it, and a signal without a handler would kill the
 * process instead of stopping it gracefully.
 */
export function untilSignalled(): Promise<undefined> {
  return new Promise((resolve) => {
    process.once("SIGINT", () => resolve(undefined));
    process.once("SIGTERM", () => resolve(undefined));
  });
}

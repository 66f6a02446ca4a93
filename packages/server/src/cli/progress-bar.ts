/**
 * A one-line progress bar on a terminal stream: redrawn in place with `\r`, at most ten times a
 * second, with the rate and the time left.
 */
export function progressBar(stream: NodeJS.WritableStream, label: string) {
  const started = Date.now();
  let drawn = 0;
  return {
    update(done: number, total: number) {
      const now = Date.now();
      if (now - drawn < 100 && done < total) return;
      drawn = now;
      const width = 30;
      const ratio = total === 0 ? 1 : done / total;
      const filled = Math.round(ratio * width);
      const rate = done / Math.max((now - started) / 1000, 0.001);
      const left = rate > 0 ? Math.ceil((total - done) / rate) : 0;
      stream.write(
        `\r${label} [${"#".repeat(filled)}${"-".repeat(width - filled)}] ${(ratio * 100).toFixed(0).padStart(3)}% ` +
          `${done.toLocaleString("en")}/${total.toLocaleString("en")} ${Math.round(rate).toLocaleString("en")}/s ${left}s left `,
      );
    },
    done() {
      stream.write("\n");
    },
  };
}

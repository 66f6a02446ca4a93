// Median without sorting or copying: Torben Mogensen's algorithm, as in ThreatExchange
// pdq/cpp/hashing/torben.cpp (public domain, implementation by N. Devillard). It bisects the value
// range, counting values below and above the guess, until the guess splits the values in half.

/** The median of float32 values, the same one the reference picks (for an even count, the lower middle value or the guess between). */
export function torbenMedian(values: Float32Array): number {
  const n = values.length;
  let min = values[0]!;
  let max = values[0]!;
  for (let i = 1; i < n; i++) {
    const v = values[i]!;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const halfCount = Math.floor((n + 1) / 2);
  for (;;) {
    const guess = Math.fround((min + max) / 2);
    let less = 0;
    let greater = 0;
    let equal = 0;
    let maxBelow = min;
    let minAbove = max;
    for (let i = 0; i < n; i++) {
      const v = values[i]!;
      if (v < guess) {
        less++;
        if (v > maxBelow) maxBelow = v;
      } else if (v > guess) {
        greater++;
        if (v < minAbove) minAbove = v;
      } else {
        equal++;
      }
    }
    if (less <= halfCount && greater <= halfCount) {
      if (less >= halfCount) return maxBelow;
      if (less + equal >= halfCount) return guess;
      return minAbove;
    }
    if (less > greater) max = maxBelow;
    else min = minAbove;
  }
}

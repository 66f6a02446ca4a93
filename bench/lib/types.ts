/** One line of the benchmark table (and of bench/results.json). */
export interface BenchResult {
  /** Area and what was measured, e.g. `check: throughput`. */
  name: string;
  value: number;
  unit: string;
  /** The same measurement of the baseline, taken in the same run. */
  baseline?: { name: string; value: number };
  /** value / baseline (or as the benchmark defines it), compared with the target. */
  ratio?: number;
  /** Human-readable target, e.g. `ratio ≥ 0.5` or `< 10 ms`. */
  target?: string;
  /** Undefined when the line has no target. */
  pass?: boolean;
  /** Latency samples in ms, drawn as a histogram in bench/report.html. */
  samplesMs?: number[];
}

export interface BenchContext {
  /** `--quick`: shorter runs for a smoke check; the figures are then less stable. */
  quick: boolean;
  log(message: string): void;
}

export interface Benchmark {
  name: string;
  run(ctx: BenchContext): Promise<BenchResult[]>;
}

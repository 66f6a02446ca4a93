import type { Histogram } from "./histogram.ts";

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
  /** The baseline's latency samples in ms, drawn beside the figure's. */
  baselineSamplesMs?: number[];
}

/** A line as bench/results.json keeps it: the samples reduced to histograms (and kept when few). */
export interface ResultLine extends Omit<BenchResult, "samplesMs" | "baselineSamplesMs"> {
  benchmark: string;
  histogram?: Histogram;
  baselineHistogram?: Histogram;
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

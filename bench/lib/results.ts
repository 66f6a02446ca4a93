import fs from "node:fs";
import os from "node:os";
import { histogramOf, type Histogram } from "./histogram.ts";
import type { BenchResult, ResultLine } from "./types.ts";

/** Raw samples are kept in bench/results.json up to this many per line; beyond, the histogram only. */
const MAX_KEPT_SAMPLES = 2000;

export interface Machine {
  cpus: number;
  cpuModel: string;
  /** 1, 5 and 15 minute load averages when the run started: the machine is shared. */
  loadAverage: number[];
  totalMemMiB: number;
}

export interface SoakKind {
  kind: string;
  /** Requests sent per second, as scheduled. */
  rate: number;
  requests: number;
  p50: number;
  p99: number;
  max: number;
  /** Responses by HTTP status (`error` for requests that got no response). */
  statuses: Record<string, number>;
  /** Responses with a status the kind does not expect (a 5xx, an unintended 4xx, no response). */
  unexpected: number;
  histogram: Histogram;
}

/** The server's heap at one sample, in MiB: `process.memoryUsage()`, then after a full collection. */
export interface HeapReading {
  totalMiB: number;
  usedMiB: number;
  externalMiB: number;
  arrayBuffersMiB: number;
  /** Heap still used after a full garbage collection: what the process holds on to. */
  liveMiB: number;
  /** External memory (Buffers, WebAssembly memories, …) still held after that collection. */
  liveExternalMiB: number;
  /** What V8 has reserved for each heap space (new_space, old_space, …) before that collection. */
  spacesMiB?: Record<string, number>;
}

export interface Growth {
  fromSeconds: number;
  toSeconds: number;
  fromMiB: number;
  toMiB: number;
  ratio: number;
}

export interface SoakRun {
  database: "pglite" | "postgresql";
  durationSeconds: number;
  /** Requests per second the scheduler was asked for (open loop). */
  targetRate: number;
  /** Requests started per second over the run. */
  sentRate: number;
  /** Requests whose start the scheduler could not keep within 100 ms of its slot. */
  lateStarts: number;
  requests: number;
  kinds: SoakKind[];
  /**
   * VmRSS of the server process, sampled every 10 s, and of the embedded database's process (a
   * child of the server's, on PGlite only): the database's memory is not the server's, as
   * PostgreSQL's is not. With each, the server's heap (absent from runs before it was sampled).
   */
  rss: Array<{ atSeconds: number; mib: number; databaseMiB?: number; heap?: HeapReading }>;
  /**
   * CPU time the server process used while the traffic was sent (/proc/PID/stat), as a share of
   * one core, and the machine's load average then: a server that falls behind while using well
   * under a core is starved by the machine, not busy.
   */
  serverCpu: { seconds: number; shareOfCore: number; msPerRequest: number; loadAverage: number[] };
  /** RSS growth over the window the target names (the last 4 of 5 minutes, scaled to the run). */
  rssGrowth: Growth;
  /** Growth of the heap still used after a full collection, over the same window. */
  liveHeapGrowth?: Growth;
  /** No unexpected status and RSS growth < 10 %. */
  pass: boolean;
  /** Whatever the run noticed beyond the figures (e.g. the server falling behind). */
  notes: string[];
}

export interface SoakSection {
  date: string;
  node: string;
  machine: Machine;
  runs: SoakRun[];
}

export interface ResultsFile {
  date: string;
  node: string;
  quick: boolean;
  machine: Machine;
  results: ResultLine[];
  soak?: SoakSection;
}

export function machine(): Machine {
  return {
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model ?? "unknown",
    loadAverage: os.loadavg().map((n) => Number(n.toFixed(2))),
    totalMemMiB: Math.round(os.totalmem() / 1024 / 1024),
  };
}

/** A benchmark's line as results.json keeps it. */
export function toResultLine(benchmark: string, result: BenchResult): ResultLine {
  const { samplesMs, baselineSamplesMs, ...line } = result;
  return {
    ...line,
    benchmark,
    ...(samplesMs?.length && { histogram: histogramOf(samplesMs) }),
    ...(baselineSamplesMs?.length && { baselineHistogram: histogramOf(baselineSamplesMs) }),
    ...(samplesMs?.length &&
      samplesMs.length <= MAX_KEPT_SAMPLES && { samplesMs: samplesMs.map((n) => Number(n.toFixed(3))) }),
  };
}

export function readResults(file: string): ResultsFile | undefined {
  try {
    return JSON.parse(fs.readFileSync(file, "utf8")) as ResultsFile;
  } catch {
    return undefined;
  }
}

export interface RunResult {
  passed: number;
  failed: number;
  skipped: number;
}
export function runResult(code: number | null, lastLine: string): RunResult;
export function total(runs: RunResult[]): RunResult;
export function summaryLine(run: RunResult): string;

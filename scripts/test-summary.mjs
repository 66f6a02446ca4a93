// The closing line of a test run, `N passed, N failed` (test/support/summary-reporter.ts), which CI
// reads as the run's last line: read from each vitest run and summed over the runs of `npm test`.

const SUMMARY = /^(\d+) passed, (\d+) failed(?:, (\d+) skipped)?$/;

/**
 * The counts of one vitest run from its exit code and last line. A run that failed without a
 * failed test (an unhandled error, a crash before its summary) counts one failure.
 */
export function runResult(code, lastLine) {
  const match = SUMMARY.exec(lastLine.trim());
  const [passed, failed, skipped] = match ? match.slice(1).map((n) => Number(n ?? 0)) : [0, 0, 0];
  return { passed, failed: code !== 0 && failed === 0 ? 1 : failed, skipped };
}

/** The counts of several runs together. */
export const total = (runs) =>
  runs.reduce(
    (sum, run) => ({
      passed: sum.passed + run.passed,
      failed: sum.failed + run.failed,
      skipped: sum.skipped + run.skipped,
    }),
    { passed: 0, failed: 0, skipped: 0 },
  );

export const summaryLine = ({ passed, failed, skipped }) =>
  `${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ""}`;

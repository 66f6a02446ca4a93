// `npm test` may run the suite twice (the machine's Node, then Node 24 in CI): its last line must
// still be the one `N passed, N failed` that CI reads, over both runs.
import { expect, test } from "vitest";
import { runResult, summaryLine, total } from "../../scripts/test-summary.mjs";

test("each run's closing line is read; the closing line of npm test sums them", () => {
  const first = runResult(0, "812 passed, 0 failed");
  const second = runResult(1, "810 passed, 2 failed, 3 skipped\n");
  expect(first).toEqual({ passed: 812, failed: 0, skipped: 0 });
  expect(second).toEqual({ passed: 810, failed: 2, skipped: 3 });
  expect(summaryLine(total([first, second]))).toBe("1622 passed, 2 failed, 3 skipped");
  expect(summaryLine(total([first]))).toBe("812 passed, 0 failed");
});

test("a run that failed without a failed test, or ended without its line, counts one failure", () => {
  // vitest exits 1 on an unhandled error even when every test passed.
  expect(runResult(1, "812 passed, 0 failed")).toEqual({ passed: 812, failed: 1, skipped: 0 });
  expect(runResult(null, "Segmentation fault")).toEqual({ passed: 0, failed: 1, skipped: 0 });
  expect(runResult(0, "812 passed, 0 failed")).toEqual({ passed: 812, failed: 0, skipped: 0 });
});

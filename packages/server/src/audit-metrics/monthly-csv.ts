import { csvRow } from "../audit/csv.ts";
import type { MonthlyReport } from "./monthly.ts";

const COLUMNS = [
  "record",
  "name",
  "value",
  "unit",
  "requested_at",
  "due_at",
  "removed_at",
  "sla",
  "log_indexes",
] as const;

/**
 * The monthly report as one CSV table: a `figure` row per figure, then a `takedown` row per
 * takedown; `log_indexes` lists the leaf indexes of the entries behind each row.
 */
export function monthlyReportCsv(report: MonthlyReport): string {
  const rows = [
    csvRow(COLUMNS),
    csvRow(["report", "platform", report.platform.id, null, null, null, null, null, null]),
    csvRow(["report", "month", report.month, null, report.from, report.to, null, null, null]),
    csvRow(["report", "checkpoint_tree_size", report.checkpoint.treeSize, "count", null, null, null, null, null]),
    csvRow(["report", "checkpoint_root_hash", report.checkpoint.rootHash, "base64", null, null, null, null, null]),
    ...report.figures.map((f) =>
      csvRow(["figure", f.key, f.value, f.unit, null, null, null, null, f.sources.join(" ")]),
    ),
    ...report.takedowns.map((t) =>
      csvRow([
        "takedown",
        t.takedownId,
        t.latencySeconds,
        "seconds",
        t.requestedAt,
        t.dueAt,
        t.removedAt,
        t.sla,
        t.sources.join(" "),
      ]),
    ),
  ];
  return rows.join("");
}

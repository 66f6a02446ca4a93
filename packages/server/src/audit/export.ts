import type { AuditEvent, auditExportQuerySchema } from "@vergewis/sdk";
import type { z } from "zod";
import type { Db } from "../db/client.ts";
import { eventBatches, eventWhere } from "./query.ts";
import { toAuditEvent } from "./resource.ts";
import type { AuditorScope } from "./scope.ts";
import { csvRow } from "./csv.ts";

export const CSV_COLUMNS = [
  "index",
  "time",
  "type",
  "platform_id",
  "publication_id",
  "performer_pseudonym",
  "leaf_hash_hex",
  "entry",
] as const;

/** CSV rows carry the leaf hash in hex: base64 may start with "+", which spreadsheets run as a formula. */
export const csvLine = (e: AuditEvent) =>
  csvRow([
    e.index,
    e.time,
    e.type,
    e.platformId,
    e.publicationId,
    e.performerPseudonym,
    Buffer.from(e.leafHash, "base64").toString("hex"),
    e.entry,
  ]);

export const jsonLine = (e: AuditEvent) => `${JSON.stringify(e)}\n`;

/** A file to download, as the lines it is made of: the route writes them as they come. */
export interface ExportFile {
  filename: string;
  contentType: string;
  /** Chunks of whole lines; the next is read only once the previous one was taken. */
  chunks: AsyncIterable<string>;
}

/**
 * An export of events in `format`, one chunk per batch: a million events need no more memory than
 * one batch, provided the reader waits for each chunk to be written (back-pressure).
 */
export function exportFile(format: "jsonl" | "csv", batches: AsyncIterable<AuditEvent[]>, name: string): ExportFile {
  const line = format === "csv" ? csvLine : jsonLine;
  async function* chunks() {
    if (format === "csv") yield csvRow(CSV_COLUMNS);
    for await (const batch of batches) yield batch.map(line).join("");
  }
  return {
    filename: `${name}.${format}`,
    contentType: format === "csv" ? "text/csv; charset=utf-8" : "application/jsonl; charset=utf-8",
    chunks: chunks(),
  };
}

/** Every event that matches the filters, in log order, as a file the route streams. */
export function exportEvents(db: Db, scope: AuditorScope, query: z.output<typeof auditExportQuerySchema>): ExportFile {
  const where = eventWhere(scope, query);
  async function* events() {
    for await (const batch of eventBatches(db, where)) yield batch.map(toAuditEvent);
  }
  const stamp = new Date().toISOString().slice(0, 19).replaceAll(":", "");
  return exportFile(query.format ?? "jsonl", events(), `vergewis-audit-${stamp}`);
}

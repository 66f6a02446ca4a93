import type { Response } from "express";
import type { AuditEvent } from "@vergewis/sdk";
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

/**
 * Streams an export: each batch is written as it arrives and the next is read only once the
 * client has taken the previous one (back-pressure), so a million events need no more memory than
 * one batch. Stops reading when the client goes away.
 */
export async function streamExport(
  res: Response,
  format: "jsonl" | "csv",
  batches: AsyncIterable<AuditEvent[]>,
  filename: string,
): Promise<void> {
  res.status(200);
  res.type(format === "csv" ? "text/csv; charset=utf-8" : "application/jsonl; charset=utf-8");
  res.setHeader("Content-Disposition", `attachment; filename="${filename}.${format}"`);
  res.setHeader("Cache-Control", "no-store");
  if (format === "csv") res.write(csvRow(CSV_COLUMNS));
  const line = format === "csv" ? csvLine : jsonLine;
  for await (const batch of batches) {
    if (res.destroyed) return;
    if (!res.write(batch.map(line).join(""))) await drained(res);
  }
  res.end();
}

/** Resolves when the response can take more, or is gone. */
const drained = (res: Response) =>
  new Promise<void>((resolve) => {
    const done = () => {
      res.off("drain", done);
      res.off("close", done);
      resolve();
    };
    res.on("drain", done);
    res.on("close", done);
  });

import type { AuditEvent } from "@vergewis/sdk";

/** The fields every entry has (append.ts writes them; RFC 8785 canonical JSON). */
export interface ParsedEntry {
  type: string;
  time: string;
  platform?: string;
  publication?: string;
  performer?: string;
  data: Record<string, unknown>;
}

export const parseEntry = (entry: string) => JSON.parse(entry) as ParsedEntry;

/** What auditors see of a row: everything is read from the signed entry, not from columns. */
export function toAuditEvent(row: { index: bigint; entry: string; leafHash: Uint8Array }): AuditEvent {
  const parsed = parseEntry(row.entry);
  return {
    index: Number(row.index),
    type: parsed.type,
    time: parsed.time,
    platformId: parsed.platform ?? null,
    publicationId: parsed.publication ?? null,
    performerPseudonym: parsed.performer ?? null,
    data: parsed.data,
    entry: row.entry,
    leafHash: Buffer.from(row.leafHash).toString("base64"),
  };
}

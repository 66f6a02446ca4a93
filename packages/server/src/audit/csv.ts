/**
 * RFC 4180 CSV: fields with a comma, quote or line break are quoted, quotes doubled. A field that a
 * spreadsheet would run as a formula (=, +, -, @ first) is prefixed with an apostrophe (OWASP CSV
 * injection); audit values are generated ids, times and JSON, so this only guards the odd case.
 */
export function csvField(value: string | number | null): string {
  if (value === null) return "";
  let text = String(value);
  if (typeof value === "string" && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export const csvRow = (fields: ReadonlyArray<string | number | null>) => `${fields.map(csvField).join(",")}\r\n`;

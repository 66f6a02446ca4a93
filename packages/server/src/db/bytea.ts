/**
 * Byte strings as hex text, for an array parameter that SQL turns back with `decode(x, 'hex')`:
 * the driver adapter sends no bytea[] parameter.
 */
export const hexList = (list: readonly Uint8Array[]): string[] => list.map((b) => Buffer.from(b).toString("hex"));

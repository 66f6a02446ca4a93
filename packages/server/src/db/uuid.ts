import { randomBytes } from "node:crypto";

// Within one millisecond the 12 bits after the version count up (RFC 9562 §6.2, method 1), so
// that ids made one after another by this process sort in the order they were made.
let lastMs = -1;
let counter = 0;

/**
 * A UUIDv7 (RFC 9562 §5.7): 48-bit Unix time in milliseconds, a 12-bit counter, then random bits;
 * the same kind of id Prisma makes for `@default(uuid(7))`, for rows whose id must be known
 * before they are written (a receipt names its consent before the consent row exists).
 */
export function uuidv7(now = Date.now()): string {
  const bytes = randomBytes(16);
  if (now === lastMs && counter < 0xfff) {
    counter++;
  } else {
    // A random start in the lower half leaves room to count up; past 4,096 ids in one
    // millisecond the order is no longer kept.
    counter = bytes.readUInt16BE(6) & 0x7ff;
    lastMs = now;
  }
  bytes.writeUIntBE(now, 0, 6);
  bytes.writeUInt16BE(0x7000 | counter, 6);
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

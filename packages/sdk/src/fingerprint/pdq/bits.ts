// 256-bit PDQ hashes: one bit per DCT coefficient, set when it exceeds the median
// (pdqBuffer16x16ToBits), written as the reference's Hash256::format writes them: 64 hexadecimal
// digits, most significant first, where bit k (coefficient row k >> 4, column k & 15) is 2^k.
import { torbenMedian } from "./torben.ts";

/** Bit k of the hash is bit (k & 7) of byte 31 - (k >> 3): big-endian, as the hex reads. */
export function bitsFromDct(dct16x16: Float32Array): Uint8Array {
  const median = torbenMedian(dct16x16);
  const bytes = new Uint8Array(32);
  for (let k = 0; k < 256; k++) {
    if (dct16x16[k]! > median) bytes[31 - (k >> 3)]! |= 1 << (k & 7);
  }
  return bytes;
}

export function hexFromBits(bytes: Uint8Array): string {
  let hex = "";
  for (const byte of bytes) hex += byte.toString(16).padStart(2, "0");
  return hex;
}

const HEX64 = /^[0-9a-fA-F]{64}$/;

/**
 * Number of differing bits of two PDQ hashes (0–256) given as 64 hexadecimal digits. Meta
 * suggests 31 or less as a match for images.
 */
export function pdqDistance(a: string, b: string): number {
  if (!HEX64.test(a) || !HEX64.test(b)) throw new TypeError("A PDQ hash is 64 hexadecimal characters.");
  let distance = 0;
  for (let i = 0; i < 64; i += 8) {
    let x = (Number.parseInt(a.slice(i, i + 8), 16) ^ Number.parseInt(b.slice(i, i + 8), 16)) >>> 0;
    while (x) {
      x &= x - 1;
      distance++;
    }
  }
  return distance;
}

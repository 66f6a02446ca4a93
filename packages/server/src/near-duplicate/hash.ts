import type { FieldIssue } from "../errors.ts";
import { InvalidPerceptualHashError } from "./errors.ts";

/** PDQ and each vPDQ frame: 256 bits, written as 64 hex digits. */
const HEX_256 = /^[0-9a-f]{64}$/i;

export const BANDS = 16;
export const BAND_BITS = 16;

/** A 256-bit hash as the index stores it. */
export interface IndexedHash {
  /** The four 64-bit words (bits 0–63 first) as signed integers, in decimal: SQL `int8`. */
  words: [string, string, string, string];
  /** The sixteen 16-bit bands (bits 0–15 first), each as a signed 16-bit integer: SQL `smallint`. */
  bands: number[];
}

export function hashIssues(value: unknown, pointer: string): FieldIssue[] {
  return typeof value === "string" && HEX_256.test(value)
    ? []
    : [{ pointer, reason: "must be a 256-bit hash: 64 hexadecimal digits" }];
}

export function qualityIssues(quality: unknown, pointer: string): FieldIssue[] {
  return Number.isInteger(quality) && (quality as number) >= 0 && (quality as number) <= 100
    ? []
    : [{ pointer, reason: "must be an integer from 0 to 100" }];
}

/** Splits a checked 64-hex-digit hash into its words and bands. */
export function indexedHash(hex: string): IndexedHash {
  if (!HEX_256.test(hex)) throw new InvalidPerceptualHashError(hashIssues(hex, ""));
  const words = [0, 1, 2, 3].map((i) => BigInt.asIntN(64, BigInt(`0x${hex.slice(16 * i, 16 * i + 16)}`)).toString());
  const bands = Array.from({ length: BANDS }, (_, i) => toSigned16(Number.parseInt(hex.slice(4 * i, 4 * i + 4), 16)));
  return { words: words as IndexedHash["words"], bands };
}

/** The hash back as 64 lower-case hex digits, from the words as PostgreSQL returns them. */
export const hexOf = (words: readonly (string | bigint)[]): string =>
  words.map((w) => BigInt.asUintN(64, BigInt(w)).toString(16).padStart(16, "0")).join("");

export const toSigned16 = (unsigned: number) => (unsigned >= 0x8000 ? unsigned - 0x10000 : unsigned);

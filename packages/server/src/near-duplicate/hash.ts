import type { FieldIssue } from "../errors.ts";
import { InvalidPerceptualHashError } from "./errors.ts";

/** PDQ and each vPDQ frame: 256 bits, written as 64 hex digits. */
const HEX_256 = /^[0-9a-f]{64}$/i;

/**
 * The bands the 256 bits are cut into, in order: three of 24 bits, then eight of 23. Eleven is
 * the fewest bands that still find every hash within the default threshold 31 with at most two
 * bits probed a band (see `bandRadii`); wider bands make fewer candidates per probed key.
 */
export const BAND_WIDTHS = [24, 24, 24, 23, 23, 23, 23, 23, 23, 23, 23] as const;
export const BANDS = BAND_WIDTHS.length;
/** The first bit of each band. */
export const BAND_OFFSETS = BAND_WIDTHS.map((_, i) => BAND_WIDTHS.slice(0, i).reduce((a, b) => a + b, 0));

/** A 256-bit hash as the index stores it. */
export interface IndexedHash {
  /** The four 64-bit words (bits 0–63 first) as signed integers, in decimal: SQL `int8`. */
  words: [string, string, string, string];
  /** The eleven bands (`BAND_WIDTHS`, bits 0–23 first), each as a non-negative integer: SQL `integer`. */
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
  const bits = BigInt(`0x${hex}`);
  const bands = BAND_WIDTHS.map((width, i) =>
    Number((bits >> BigInt(256 - BAND_OFFSETS[i]! - width)) & ((1n << BigInt(width)) - 1n)),
  );
  return { words: words as IndexedHash["words"], bands };
}

/** The hash back as 64 lower-case hex digits, from the words as PostgreSQL returns them. */
export const hexOf = (words: readonly (string | bigint)[]): string =>
  words.map((w) => BigInt.asUintN(64, BigInt(w)).toString(16).padStart(16, "0")).join("");

import { z } from "zod";

/**
 * Free text from people (descriptions, notes, statements of reasons): trimmed, bounded, and
 * without NUL characters, which PostgreSQL cannot store in text or JSON.
 */
export const text = (min: number, max: number) =>
  z
    .string()
    .trim()
    .min(min)
    .max(max)
    .refine((v) => !v.includes("\u0000"), "must not contain NUL characters");

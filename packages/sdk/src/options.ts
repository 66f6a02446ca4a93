import type { z } from "zod";

/**
 * Parses a constructor's options with its schema. Wrong options are a programming error, so this
 * throws a TypeError that names every bad option, as `jose` does for bad arguments.
 */
export function parseOptions<S extends z.ZodType>(schema: S, value: unknown, what: string): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issues = result.error.issues.map((i) => `${i.path.join(".") || "(options)"}: ${i.message}`);
  throw new TypeError(`Invalid ${what}: ${issues.join("; ")}`);
}

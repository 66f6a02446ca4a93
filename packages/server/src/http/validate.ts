import type { z } from "zod";
import { ValidationError, type FieldIssue } from "../errors.ts";

export type Location = "body" | "query" | "params" | "headers";

/** Parses `value` with `schema`, or throws ValidationError whose pointers name every bad field. */
export function parse<S extends z.ZodType>(schema: S, value: unknown, location: Location): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw new ValidationError(toIssues(result.error, location));
}

export function toIssues(error: z.ZodError, location: Location): FieldIssue[] {
  return error.issues.flatMap((issue): FieldIssue[] => {
    const base = pointer([location, ...issue.path]);
    if (issue.code === "unrecognized_keys") {
      return issue.keys.map((key) => ({ pointer: pointer([location, ...issue.path, key]), reason: "unknown field" }));
    }
    if (issue.code === "invalid_type" && issue.input === undefined) return [{ pointer: base, reason: "required" }];
    return [{ pointer: base, reason: issue.message }];
  });
}

/** RFC 6901 JSON Pointer. */
function pointer(path: ReadonlyArray<PropertyKey>): string {
  return "/" + path.map((p) => String(p).replaceAll("~", "~0").replaceAll("/", "~1")).join("/");
}

import type { z } from "zod";
import { ValidationError, type FieldIssue } from "../errors.ts";

export type Location = "body" | "query" | "params" | "headers";

/**
 * Parses `value` with `schema`, or throws ValidationError whose pointers name every bad field at
 * once: the schema's issues, and every string that no field may hold whatever its schema says.
 */
export function parse<S extends z.ZodType>(schema: S, value: unknown, location: Location): z.output<S> {
  const result = schema.safeParse(value);
  const unstorable = unstorableStrings(value, location);
  if (result.success && !unstorable.length) return result.data;
  const issues = [...(result.success ? [] : toIssues(result.error, location, value)), ...unstorable];
  // text() refuses NUL itself too: each field and reason once.
  throw new ValidationError([...new Map(issues.map((i) => [`${i.pointer}\n${i.reason}`, i])).values()]);
}

function toIssues(error: z.ZodError, location: Location, input: unknown): FieldIssue[] {
  return error.issues.flatMap((issue): FieldIssue[] => {
    const base = pointer([location, ...issue.path]);
    if (issue.code === "unrecognized_keys") {
      return issue.keys.map((key) => ({ pointer: pointer([location, ...issue.path, key]), reason: "unknown field" }));
    }
    // zod leaves the input out of its issues: a field that is there but of the wrong type is
    // told from a missing one by looking.
    if (issue.code === "invalid_type")
      return [{ pointer: base, reason: has(input, issue.path) ? `expected ${issue.expected}` : "required" }];
    return [{ pointer: base, reason: issue.message }];
  });
}

function has(input: unknown, path: ReadonlyArray<PropertyKey>): boolean {
  let node = input;
  for (const key of path) {
    if (typeof node !== "object" || node === null || !Object.hasOwn(node, key)) return false;
    node = (node as Record<PropertyKey, unknown>)[key];
  }
  return node !== undefined;
}

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/**
 * Strings that cannot be stored or shown as they are, in any field, key or query value:
 * NUL (PostgreSQL refuses it in text and JSON) and lone surrogates (not Unicode: they would be
 * stored as U+FFFD, silently changed). Walked without recursion, as bodies may nest deeply.
 */
function unstorableStrings(value: unknown, location: Location): FieldIssue[] {
  interface Node {
    value: unknown;
    /** The key in the parent object; an array's index is not user text. */
    name?: string;
    index?: number;
    parent?: Node;
  }
  const issues: FieldIssue[] = [];
  const at = (node: Node) => {
    const path: PropertyKey[] = [];
    for (let n: Node | undefined = node; n?.parent; n = n.parent) path.unshift(n.name ?? n.index!);
    return pointer([location, ...path]);
  };
  const check = (text: string, node: Node) => {
    if (text.includes("\u0000")) issues.push({ pointer: at(node), reason: "must not contain NUL characters" });
    else if (LONE_SURROGATE.test(text))
      issues.push({ pointer: at(node), reason: "must be well-formed Unicode (no lone surrogates)" });
  };
  // Children are pushed last to first, so that the issues come out in the order of the input.
  const stack: Node[] = [{ value }];
  for (let node = stack.pop(); node; node = stack.pop()) {
    const v = node.value;
    if (node.name !== undefined) check(node.name, node);
    if (typeof v === "string") check(v, node);
    else if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) stack.push({ value: v[i], index: i, parent: node });
    } else if (typeof v === "object" && v !== null) {
      const entries = Object.entries(v);
      for (let i = entries.length - 1; i >= 0; i--)
        stack.push({ value: entries[i]![1], name: entries[i]![0], parent: node });
    }
  }
  return issues;
}

/** RFC 6901 JSON Pointer. */
function pointer(path: ReadonlyArray<PropertyKey>): string {
  return "/" + path.map((p) => String(p).replaceAll("~", "~0").replaceAll("/", "~1")).join("/");
}

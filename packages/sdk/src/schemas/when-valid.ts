import type { z } from "zod";

const isObject = (value: unknown) => typeof value === "object" && value !== null;

/**
 * For a rule over some fields of an object: run it whenever those fields are valid, not only
 * when the whole object is (zod's default), so that its issue is listed together with the
 * other fields' issues.
 */
export const whenValid =
  (...fields: string[]) =>
  (payload: z.core.ParsePayload): boolean =>
    isObject(payload.value) &&
    !Array.isArray(payload.value) &&
    !payload.issues.some((issue) => fields.includes(String(issue.path?.[0])));

/** The same for a rule over the elements of an array: it runs when their `fields` are valid. */
export const whenEachValid =
  (...fields: string[]) =>
  (payload: z.core.ParsePayload): boolean =>
    Array.isArray(payload.value) &&
    !payload.issues.some((issue) => issue.path?.length === 1 || fields.includes(String(issue.path?.[1])));

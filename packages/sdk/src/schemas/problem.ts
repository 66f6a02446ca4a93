import { z } from "zod";

/** RFC 9457 problem details, with Vergewis's stable `code` and, for invalid input, `errors`. */
export const problemSchema = z.looseObject({
  type: z.string(),
  title: z.string(),
  status: z.number().int(),
  detail: z.string().optional(),
  instance: z.string().optional(),
  code: z.string(),
  errors: z.array(z.object({ pointer: z.string(), reason: z.string() })).optional(),
});
export type Problem = z.output<typeof problemSchema>;

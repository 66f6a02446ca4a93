import { z } from "zod";

export const clientOptionsSchema = z.strictObject({
  /** The platform's API key (`vgw_live_…`), from `vergewis platform create`. */
  apiKey: z.string().regex(/^[\x21-\x7e]+$/, "must be an API key: visible ASCII characters, no spaces"),
  /** Where the Vergewis server answers, e.g. `https://vergewis.example.com`; a path prefix is kept. */
  baseUrl: z
    .url({ protocol: /^https?$/, error: "must be an http(s) URL" })
    .transform((url) => (url.endsWith("/") ? url : `${url}/`)),
  /** A WHATWG `fetch` to use instead of the global one (a proxy agent, instrumentation). */
  fetch: z.custom<typeof fetch>((v) => typeof v === "function", "must be a fetch function").optional(),
  /** Retries after the first attempt, for 429, 503, timeouts and connection failures. Default 2. */
  retries: z.number().int().min(0).max(10).default(2),
  /** Time limit per attempt, in milliseconds, for the response and its body. Default 30 000. */
  timeoutMs: z.number().int().min(1).max(600_000).default(30_000),
});

/** Options of `new Vergewis(…)`. */
export type VergewisOptions = z.input<typeof clientOptionsSchema>;

export interface ResolvedClientOptions {
  apiKey: string;
  baseUrl: string;
  fetch: typeof fetch;
  retries: number;
  timeoutMs: number;
}

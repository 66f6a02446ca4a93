import { randomUUID } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { z } from "zod";
import {
  apiErrorClass,
  VergewisConnectionError,
  VergewisResponseError,
  VergewisTimeoutError,
  type VergewisApiError,
} from "../errors.ts";
import { problemSchema, type Problem } from "../schemas/problem.ts";
import { SDK_VERSION } from "../version.ts";
import type { ResolvedClientOptions } from "./options.ts";
import { backoffMs, MAX_RETRY_AFTER_MS, parseRetryAfter, RETRYABLE_STATUSES } from "./retry.ts";

/** Options every method takes. */
export interface RequestOptions {
  /** Cancels the call, including its retries; the promise rejects with the signal's reason. */
  signal?: AbortSignal;
}

/** Options of methods that create or change something. */
export interface WriteOptions extends RequestOptions {
  /**
   * The `Idempotency-Key` header. By default a new random key per call, reused for the call's
   * own retries. Pass a key derived from your own record (e.g. your upload's id) to make the call
   * idempotent across process restarts too: the server then replays the first response.
   */
  idempotencyKey?: string;
}

export interface Call<S extends z.ZodType> {
  method: "GET" | "POST" | "DELETE";
  /** Relative to the base URL, without a leading slash: `v1/publications`. */
  path: string;
  query?: Record<string, string | number | undefined> | undefined;
  body?: unknown;
  /** Schema of a successful response body. */
  response: S;
  /**
   * Send an `Idempotency-Key` (for POSTs that create or change something). Every call is then
   * idempotent, naturally or by key, so every call may be retried.
   */
  idempotent?: boolean;
  options?: WriteOptions | undefined;
}

/** HTTP for the resource classes: authentication, timeouts, retries, problem+json → errors, zod. */
export class Transport {
  readonly #options: ResolvedClientOptions;
  readonly #userAgent = `vergewis-sdk/${SDK_VERSION} node/${process.versions.node}`;

  constructor(options: ResolvedClientOptions) {
    this.#options = options;
  }

  async request<S extends z.ZodType>(call: Call<S>): Promise<z.output<S>> {
    const { retries } = this.#options;
    const signal = call.options?.signal;
    const key = call.idempotent ? (call.options?.idempotencyKey ?? randomUUID()) : undefined;
    for (let attempt = 0; ; attempt++) {
      signal?.throwIfAborted();
      let response: Response;
      let text: string;
      try {
        ({ response, text } = await this.#send(call, key));
      } catch (error) {
        if (!(error instanceof VergewisConnectionError) || attempt >= retries) throw error;
        await wait(backoffMs(attempt), signal);
        continue;
      }
      if (response.ok) return parseBody(call.response, response, text);
      const retryAfterMs = parseRetryAfter(response.headers.get("retry-after"));
      if (RETRYABLE_STATUSES.has(response.status) && attempt < retries) {
        const delay = retryAfterMs ?? backoffMs(attempt);
        if (delay <= MAX_RETRY_AFTER_MS) {
          await wait(delay, signal);
          continue;
        }
      }
      throw apiError(response, text, retryAfterMs);
    }
  }

  /** One attempt: the response with its whole body, or a VergewisConnectionError. */
  async #send(call: Call<z.ZodType>, key: string | undefined): Promise<{ response: Response; text: string }> {
    const { fetch, timeoutMs, apiKey } = this.#options;
    const timeout = AbortSignal.timeout(timeoutMs);
    const user = call.options?.signal;
    const headers: Record<string, string> = {
      Accept: "application/json, application/problem+json",
      Authorization: `Bearer ${apiKey}`,
      "User-Agent": this.#userAgent,
    };
    if (call.body !== undefined) headers["Content-Type"] = "application/json";
    if (key !== undefined) headers["Idempotency-Key"] = key;
    try {
      const response = await fetch(this.#url(call), {
        method: call.method,
        headers,
        ...(call.body !== undefined && { body: JSON.stringify(call.body) }),
        signal: user ? AbortSignal.any([user, timeout]) : timeout,
        redirect: "manual",
      });
      return { response, text: await response.text() };
    } catch (error) {
      if (user?.aborted) throw user.reason;
      if (timeout.aborted) throw new VergewisTimeoutError(timeoutMs);
      throw new VergewisConnectionError(`Could not reach Vergewis at ${this.#options.baseUrl}: ${describe(error)}`, {
        cause: error,
      });
    }
  }

  #url(call: Call<z.ZodType>): URL {
    const url = new URL(call.path, this.#options.baseUrl);
    for (const [name, value] of Object.entries(call.query ?? {})) {
      if (value !== undefined) url.searchParams.set(name, String(value));
    }
    return url;
  }
}

/** Sleeps, or rejects with the signal's reason (as fetch does) when the caller aborts. */
async function wait(ms: number, signal: AbortSignal | undefined): Promise<void> {
  try {
    await sleep(ms, undefined, signal ? { signal } : {});
  } catch (error) {
    throw signal?.aborted ? signal.reason : error;
  }
}

function describe(error: unknown): string {
  const cause = (error as { cause?: { code?: unknown; message?: unknown } }).cause;
  if (typeof cause?.code === "string") return cause.code;
  if (typeof cause?.message === "string") return cause.message;
  return error instanceof Error ? error.message : String(error);
}

const isJson = (response: Response) =>
  /^application\/(problem\+)?json\b/i.test(response.headers.get("content-type") ?? "");

function parseBody<S extends z.ZodType>(schema: S, response: Response, text: string): z.output<S> {
  // 204 No Content: the call's schema says whether no body is what it expects.
  if (response.status === 204 && schema.safeParse(undefined).success) return schema.parse(undefined);
  if (!isJson(response)) {
    throw new VergewisResponseError(response.status, [
      `content-type is ${response.headers.get("content-type") ?? "absent"}, not JSON`,
    ]);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new VergewisResponseError(response.status, ["the body is not valid JSON"], { cause: error });
  }
  const result = schema.safeParse(json);
  if (result.success) return result.data;
  throw new VergewisResponseError(
    response.status,
    result.error.issues.map((i) => `/${i.path.join("/")}: ${i.message}`),
    { cause: result.error },
  );
}

/**
 * The server's problem details as an error. A response without valid problem details (a proxy's
 * HTML error page, say) still becomes an error of the right class, with code `http_<status>`.
 */
function apiError(response: Response, text: string, retryAfterMs: number | undefined): VergewisApiError {
  let problem: Problem | undefined;
  if (isJson(response)) {
    try {
      const parsed = problemSchema.safeParse(JSON.parse(text));
      if (parsed.success && parsed.data.status === response.status) problem = parsed.data;
    } catch {
      // not JSON after all: described from the status below
    }
  }
  problem ??= {
    type: "about:blank",
    title: response.statusText || `HTTP ${response.status}`,
    status: response.status,
    code: `http_${response.status}`,
    detail: `Vergewis answered ${response.status} without problem details.`,
  };
  const ErrorClass = apiErrorClass(response.status);
  return new ErrorClass(problem, { requestId: response.headers.get("x-request-id") ?? undefined, retryAfterMs });
}

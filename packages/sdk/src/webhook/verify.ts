import { VergewisSdkError } from "../errors.ts";
import { webhookEvents, webhookEventSchema, type WebhookEvent } from "../schemas/webhook-event.ts";

/**
 * Verifies a webhook from Vergewis (Standard Webhooks, https://www.standardwebhooks.com) and
 * returns its typed, validated event. Give it the raw body exactly as received: parsing and
 * re-serialising JSON changes the bytes and breaks the signature.
 */
export interface VerifyWebhookInput {
  /** The raw request body. */
  body: string | Uint8Array;
  /** The request headers: a Fetch `Headers` or Node's `req.headers`. */
  headers: Headers | Record<string, string | string[] | undefined>;
  /**
   * The endpoint's `whsec_…` secret. Give several while you roll a new secret out to your
   * receivers: a signature by any of them is accepted.
   */
  secret: string | readonly string[];
  /** How far `webhook-timestamp` may be from now, against replays (default 300 seconds). */
  toleranceSeconds?: number;
  /** The current time (tests). */
  now?: Date;
}

export type WebhookVerificationErrorCode =
  | "webhook_missing_headers"
  | "webhook_invalid_timestamp"
  | "webhook_timestamp_out_of_tolerance"
  | "webhook_invalid_signature"
  | "webhook_invalid_payload"
  | "webhook_unsupported_event";

/**
 * Verification failed; `code` says why. Answer such a request with 4xx, except for
 * `webhook_unsupported_event` (a genuine event of a type or version this SDK does not know yet):
 * answer it 2xx, or it is retried for a day.
 */
export class WebhookVerificationError extends VergewisSdkError {
  declare readonly code: WebhookVerificationErrorCode;
  constructor(code: WebhookVerificationErrorCode, message: string, options?: ErrorOptions) {
    super(code, message, options);
  }
}

const DEFAULT_TOLERANCE_SECONDS = 300;
const SECRET_PREFIX = "whsec_";

export async function verifyWebhook(input: VerifyWebhookInput): Promise<WebhookEvent> {
  const id = header(input.headers, "webhook-id");
  const timestamp = header(input.headers, "webhook-timestamp");
  const signatures = header(input.headers, "webhook-signature");
  if (!id || !timestamp || !signatures) {
    throw new WebhookVerificationError(
      "webhook_missing_headers",
      "The webhook-id, webhook-timestamp and webhook-signature headers are required.",
    );
  }
  if (!/^\d{1,15}$/.test(timestamp)) {
    throw new WebhookVerificationError("webhook_invalid_timestamp", "webhook-timestamp is not a Unix time in seconds.");
  }
  const now = Math.floor((input.now ?? new Date()).getTime() / 1000);
  const tolerance = input.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS;
  if (Math.abs(now - Number(timestamp)) > tolerance) {
    throw new WebhookVerificationError(
      "webhook_timestamp_out_of_tolerance",
      `webhook-timestamp is more than ${tolerance} seconds away from now: a replay, or a clock out of sync.`,
    );
  }

  const body = typeof input.body === "string" ? new TextEncoder().encode(input.body) : input.body;
  const signed = concat(new TextEncoder().encode(`${id}.${timestamp}.`), body);
  // Standard Webhooks §signature: space-separated `v1,<base64>` entries; other versions are skipped.
  const candidates = signatures
    .split(" ")
    .filter((s) => s.startsWith("v1,"))
    .map((s) => decodeBase64(s.slice(3)))
    .filter((s): s is Uint8Array<ArrayBuffer> => s !== undefined);
  const secrets = typeof input.secret === "string" ? [input.secret] : input.secret;
  if (secrets.length === 0) throw new TypeError("verifyWebhook needs at least one secret");
  let valid = false;
  for (const secret of secrets) {
    const key = await hmacKey(secret);
    for (const candidate of candidates) {
      // subtle.verify compares in constant time.
      if (await crypto.subtle.verify("HMAC", key, candidate, signed)) valid = true;
    }
  }
  if (!valid) {
    throw new WebhookVerificationError("webhook_invalid_signature", "No webhook-signature matches the secret.");
  }

  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(body));
  } catch (error) {
    throw new WebhookVerificationError("webhook_invalid_payload", "The body is not UTF-8 JSON.", { cause: error });
  }
  const { type, version } = (json ?? {}) as { type?: unknown; version?: unknown };
  const known =
    typeof type === "string" && Object.hasOwn(webhookEvents, type)
      ? webhookEvents[type as keyof typeof webhookEvents]
      : undefined;
  if (!known || known.version !== version) {
    throw new WebhookVerificationError(
      "webhook_unsupported_event",
      `Event ${String(type)} version ${String(version)} is not known to this SDK; update it to handle the event.`,
    );
  }
  const parsed = webhookEventSchema.safeParse(json);
  if (!parsed.success) {
    throw new WebhookVerificationError(
      "webhook_invalid_payload",
      `The event does not match its schema: ${parsed.error.message}`,
      {
        cause: parsed.error,
      },
    );
  }
  if (parsed.data.id !== id) {
    throw new WebhookVerificationError("webhook_invalid_payload", "The event id differs from webhook-id.");
  }
  return parsed.data;
}

function header(headers: VerifyWebhookInput["headers"], name: string): string | undefined {
  if (typeof (headers as Headers).get === "function") return (headers as Headers).get(name) ?? undefined;
  const record = headers as Record<string, string | string[] | undefined>;
  const value = record[name] ?? Object.entries(record).find(([k]) => k.toLowerCase() === name)?.[1];
  return Array.isArray(value) ? value[0] : value;
}

async function hmacKey(secret: string): Promise<CryptoKey> {
  const raw = decodeBase64(secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret);
  if (!raw || raw.length === 0) throw new TypeError("The webhook secret is not a whsec_ base64 secret.");
  return crypto.subtle.importKey("raw", raw, { name: "HMAC", hash: "SHA-256" }, false, ["verify"]);
}

function decodeBase64(text: string): Uint8Array<ArrayBuffer> | undefined {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text) || text.length % 4 !== 0) return undefined;
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

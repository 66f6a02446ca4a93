import { createHmac } from "node:crypto";
import { secretKey } from "./secret.ts";

/**
 * The `webhook-signature` header (Standard Webhooks §"Signature scheme"): for each secret,
 * `v1,` + base64(HMAC-SHA256(key, "{id}.{timestamp}.{body}")), space-separated. During a secret
 * rotation both secrets sign, so receivers on either secret accept the delivery.
 */
export function webhookSignature(secrets: readonly string[], id: string, timestamp: number, body: string): string {
  return secrets
    .map(
      (secret) => `v1,${createHmac("sha256", secretKey(secret)).update(`${id}.${timestamp}.${body}`).digest("base64")}`,
    )
    .join(" ");
}

import { randomBytes, randomUUID } from "node:crypto";
import { Webhook } from "standardwebhooks";
import { describe, expect, test } from "vitest";
import { generateWebhookSecret, openSecret, sealSecret } from "./secret.ts";
import { webhookSignature } from "./signature.ts";

describe("webhook secrets", () => {
  const serverSecret = randomBytes(32);
  const platformId = randomUUID();

  test("are whsec_ + base64 of 32 random bytes", () => {
    const secret = generateWebhookSecret();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(Buffer.from(secret.slice(6), "base64")).toHaveLength(32);
    expect(generateWebhookSecret()).not.toBe(secret);
  });

  test("seal and open again, without the secret in the sealed bytes", () => {
    const secret = generateWebhookSecret();
    const sealed = sealSecret(serverSecret, platformId, secret);
    expect(openSecret(serverSecret, platformId, sealed)).toBe(secret);
    expect(Buffer.from(sealed).includes(Buffer.from(secret.slice(6)))).toBe(false);
    expect(Buffer.from(sealSecret(serverSecret, platformId, secret)).equals(Buffer.from(sealed))).toBe(false);
  });

  test("do not open under another server secret, for another platform, or when altered", () => {
    const sealed = sealSecret(serverSecret, platformId, generateWebhookSecret());
    expect(() => openSecret(randomBytes(32), platformId, sealed)).toThrow();
    expect(() => openSecret(serverSecret, randomUUID(), sealed)).toThrow();
    const altered = Uint8Array.from(sealed);
    altered[altered.length - 1]! ^= 1;
    expect(() => openSecret(serverSecret, platformId, altered)).toThrow();
  });
});

describe("webhookSignature", () => {
  test("verifies with the standardwebhooks reference implementation, for each secret", () => {
    const [a, b] = [generateWebhookSecret(), generateWebhookSecret()];
    const id = randomUUID();
    const timestamp = Math.floor(Date.now() / 1000);
    const body = JSON.stringify({ type: "takedown.requested", data: { ü: "ß" } });
    const headers = {
      "webhook-id": id,
      "webhook-timestamp": String(timestamp),
      "webhook-signature": webhookSignature([a, b], id, timestamp, body),
    };
    expect(headers["webhook-signature"].split(" ")).toHaveLength(2);
    expect(new Webhook(a).verify(body, headers)).toEqual(JSON.parse(body));
    expect(new Webhook(b).verify(body, headers)).toEqual(JSON.parse(body));
    expect(() => new Webhook(generateWebhookSecret()).verify(body, headers)).toThrow("No matching signature");
  });
});

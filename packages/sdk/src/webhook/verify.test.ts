import { randomBytes, randomUUID } from "node:crypto";
import { Webhook } from "standardwebhooks";
import { describe, expect, test } from "vitest";
import { VergewisSdkError } from "../errors.ts";
import { verifyWebhook, WebhookVerificationError } from "./verify.ts";

// Signatures are made with the reference implementation (the `standardwebhooks` package), so
// these tests check interoperability, not agreement of this code with itself.
const newSecret = () => `whsec_${randomBytes(32).toString("base64")}`;

function event(id = randomUUID()) {
  return {
    id,
    type: "takedown.requested",
    version: 1,
    timestamp: "2026-11-25T12:00:00.000Z",
    data: {
      publicationId: randomUUID(),
      externalId: "video-1",
      takedownId: randomUUID(),
      reason: "revocation",
      consentId: randomUUID(),
      requestedAt: "2026-11-25T12:00:00.000Z",
      dueAt: "2026-11-26T12:00:00.000Z",
      futureField: "receivers ignore fields they do not know",
    },
  };
}

function signed(secret: string, body: unknown, at = new Date(), id = (body as { id: string }).id) {
  const text = typeof body === "string" ? body : JSON.stringify(body);
  const headers: Record<string, string> = {
    "webhook-id": id,
    "webhook-timestamp": String(Math.floor(at.getTime() / 1000)),
    "webhook-signature": new Webhook(secret).sign(id, at, text),
  };
  return { body: text, headers };
}

async function codeOf(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(WebhookVerificationError);
  expect(error).toBeInstanceOf(VergewisSdkError);
  expect((error as Error).name).toBe("WebhookVerificationError");
  return (error as WebhookVerificationError).code;
}

describe("verifyWebhook", () => {
  test("returns the typed event of a genuine webhook", async () => {
    const secret = newSecret();
    const { body, headers } = signed(secret, event());
    const verified = await verifyWebhook({ body, headers, secret });
    expect(verified.type).toBe("takedown.requested");
    if (verified.type === "takedown.requested") expect(verified.data.reason).toBe("revocation");
  });

  test("accepts bytes, Fetch Headers and mixed-case header names", async () => {
    const secret = newSecret();
    const { body, headers } = signed(secret, event());
    await verifyWebhook({ body: new TextEncoder().encode(body), headers: new Headers(headers), secret });
    const upper = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toUpperCase(), v]));
    await verifyWebhook({ body, headers: upper, secret });
  });

  test("accepts any of several signatures and any of several secrets (rotation)", async () => {
    const [oldSecret, newer] = [newSecret(), newSecret()];
    const payload = event();
    const a = signed(oldSecret, payload);
    const b = signed(newer, payload, new Date(Number(a.headers["webhook-timestamp"]) * 1000));
    const headers = {
      ...a.headers,
      "webhook-signature": `v1a,ignored ${a.headers["webhook-signature"]} ${b.headers["webhook-signature"]}`,
    };
    await verifyWebhook({ body: a.body, headers, secret: newer });
    await verifyWebhook({ body: a.body, headers, secret: oldSecret });
    await verifyWebhook({ body: a.body, headers: b.headers, secret: [oldSecret, newer] });
  });

  test("refuses a wrong secret, a changed body or a changed id", async () => {
    const secret = newSecret();
    const payload = event();
    const { body, headers } = signed(secret, payload);
    expect(await codeOf(verifyWebhook({ body, headers, secret: newSecret() }))).toBe("webhook_invalid_signature");
    expect(await codeOf(verifyWebhook({ body: body.replace("video-1", "video-2"), headers, secret }))).toBe(
      "webhook_invalid_signature",
    );
    const otherId = { ...headers, "webhook-id": randomUUID() };
    expect(await codeOf(verifyWebhook({ body, headers: otherId, secret }))).toBe("webhook_invalid_signature");
    const garbage = { ...headers, "webhook-signature": "v1,!!!! v2,abc" };
    expect(await codeOf(verifyWebhook({ body, headers: garbage, secret }))).toBe("webhook_invalid_signature");
  });

  test("refuses a signed body whose id differs from webhook-id", async () => {
    const secret = newSecret();
    const { body, headers } = signed(secret, event(), new Date(), randomUUID());
    expect(await codeOf(verifyWebhook({ body, headers, secret }))).toBe("webhook_invalid_payload");
  });

  test("refuses old and future timestamps, within a configurable tolerance", async () => {
    const secret = newSecret();
    const tenMinutesAgo = signed(secret, event(), new Date(Date.now() - 600_000));
    expect(await codeOf(verifyWebhook({ ...tenMinutesAgo, secret }))).toBe("webhook_timestamp_out_of_tolerance");
    await verifyWebhook({ ...tenMinutesAgo, secret, toleranceSeconds: 900 });
    const future = signed(secret, event(), new Date(Date.now() + 600_000));
    expect(await codeOf(verifyWebhook({ ...future, secret }))).toBe("webhook_timestamp_out_of_tolerance");
    const bad = { ...future.headers, "webhook-timestamp": "soon" };
    expect(await codeOf(verifyWebhook({ body: future.body, headers: bad, secret }))).toBe("webhook_invalid_timestamp");
  });

  test("refuses missing headers", async () => {
    const secret = newSecret();
    const { body, headers } = signed(secret, event());
    for (const name of Object.keys(headers)) {
      const { [name]: _, ...rest } = headers;
      expect(await codeOf(verifyWebhook({ body, headers: rest, secret }))).toBe("webhook_missing_headers");
    }
  });

  test("tells an unknown event type or version apart from a forgery", async () => {
    const secret = newSecret();
    const unknownType = { ...event(), type: "publication.archived" };
    expect(await codeOf(verifyWebhook({ ...signed(secret, unknownType), secret }))).toBe("webhook_unsupported_event");
    const newerVersion = { ...event(), version: 2 };
    expect(await codeOf(verifyWebhook({ ...signed(secret, newerVersion), secret }))).toBe("webhook_unsupported_event");
  });

  test("refuses a genuine signature over a body that breaks the event schema", async () => {
    const secret = newSecret();
    const broken = event();
    (broken.data as Record<string, unknown>).dueAt = "tomorrow";
    expect(await codeOf(verifyWebhook({ ...signed(secret, broken), secret }))).toBe("webhook_invalid_payload");
    expect(await codeOf(verifyWebhook({ ...signed(secret, "not json", new Date(), randomUUID()), secret }))).toBe(
      "webhook_invalid_payload",
    );
  });
});

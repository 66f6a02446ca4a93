import type { DeliveryStatus } from "@vergewis/sdk";
import type { Logger } from "pino";
import type { Db } from "../db/client.ts";
import { isDatabaseUnavailable } from "../db/errors.ts";
import { claimDeliveries, type ClaimedDelivery } from "./claim.ts";
import { toEvent } from "./envelope.ts";
import { recordOutcome, type Outcome } from "./record.ts";
import type { RetryPolicy } from "./retry.ts";
import { openSecret } from "./secret.ts";
import type { Sender, SendResult } from "./send.ts";
import { webhookSignature } from "./signature.ts";

export interface DeliveryWorkerOptions {
  db: Db;
  log: Logger;
  /** The server secret, which unlocks the endpoints' signing secrets. */
  secret: Buffer;
  sender: Sender;
  retry: RetryPolicy;
  /** Deliveries in flight at once. */
  concurrency: number;
  /** How often to look for due deliveries when no delivery signal comes. */
  pollInterval: number;
  /** The send timeout: the lease on a claimed delivery is derived from it. */
  timeout: number;
  /** Told of each recorded attempt: what became of the delivery, and how long the send took. */
  onAttempt?: (outcome: DeliveryStatus | "superseded", durationMs: number | undefined) => void;
}

const USER_AGENT = "Vergewis-Webhooks/1";
// Waits between tries to record an outcome while the database is away. If all fail, the lease
// runs out and the delivery is sent again, with the same webhook-id.
const RECORD_BACKOFF_MS = [100, 250, 500, 1_000, 2_000, 4_000, 8_000];
const CLAIM_BACKOFF_MAX_MS = 5_000;

/**
 * Sends queued webhooks: claims due deliveries (FOR UPDATE SKIP LOCKED, in short statements),
 * sends them outside any transaction, records each outcome. Keeps up to `concurrency` sends in
 * flight and claims more as they finish, when signalled (a commit queued deliveries: webhook/signal.ts) or every
 * `pollInterval`. `stop()` claims nothing more and lets the sends in flight finish and be recorded.
 */
export class DeliveryWorker {
  private readonly inFlight = new Set<Promise<void>>();
  private stopping = false;
  private wakeUp: (() => void) | undefined;
  private signalled = false;
  private loop: Promise<void> | undefined;
  private readonly lease: number;

  constructor(private readonly options: DeliveryWorkerOptions) {
    // Long enough for a send (bounded by the timeout) and its recording to finish first.
    this.lease = options.timeout * 2 + 5_000;
  }

  start(): void {
    this.loop ??= this.run();
  }

  /** Receives the delivery signal: look for due deliveries now. */
  signal = (): void => {
    this.signalled = true;
    this.wakeUp?.();
  };

  async stop(): Promise<void> {
    this.stopping = true;
    this.wakeUp?.();
    await this.loop;
    await Promise.allSettled([...this.inFlight]);
  }

  private async run(): Promise<void> {
    const { db, log, concurrency, pollInterval } = this.options;
    let failures = 0;
    // Under load, claim in batches: wait until a quarter of the slots are free rather than
    // claiming for each slot as it frees (one claim query per delivery).
    const batch = Math.max(1, Math.floor(concurrency / 4));
    while (!this.stopping) {
      this.signalled = false;
      const free = concurrency - this.inFlight.size;
      let claimed: ClaimedDelivery[] = [];
      if (free >= batch || this.inFlight.size === 0) {
        try {
          const now = new Date();
          claimed = await claimDeliveries(db, free, now, new Date(now.getTime() + this.lease));
          failures = 0;
        } catch (error) {
          failures++;
          log[isDatabaseUnavailable(error) ? "warn" : "error"]({ err: error }, "could not claim webhook deliveries");
          await this.sleep(Math.min(CLAIM_BACKOFF_MAX_MS, 100 * 2 ** failures));
          continue;
        }
        for (const delivery of claimed) this.track(this.deliver(delivery));
      } else {
        // Slots are busy: the next completion wakes the loop.
        await this.sleep(pollInterval);
        continue;
      }
      // A full batch suggests more is due: claim again as soon as slots are free.
      if (claimed.length > 0 && claimed.length === free) continue;
      if (!this.signalled) await this.sleep(pollInterval);
    }
  }

  private track(task: Promise<void>): void {
    this.inFlight.add(task);
    void task.finally(() => {
      this.inFlight.delete(task);
      this.wakeUp?.();
    });
  }

  private sleep(ms: number): Promise<void> {
    if (this.stopping) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wakeUp = () => {
        this.wakeUp = undefined;
        done();
      };
    });
  }

  private async deliver(delivery: ClaimedDelivery): Promise<void> {
    const { log } = this.options;
    let outcome: Outcome;
    if (delivery.endpointDeleted || delivery.endpointDisabled) {
      outcome = { kind: "endpoint_gone", cause: delivery.endpointDeleted ? "endpoint_deleted" : "endpoint_disabled" };
    } else {
      const startedAt = new Date();
      let result: SendResult;
      try {
        result = await this.options.sender.send(delivery.url, this.headers(delivery, startedAt), body(delivery));
      } catch (error) {
        // Not the receiver's fault (e.g. a secret sealed under another server secret): a failed
        // attempt all the same, retried and in the end dead-lettered, never a stuck delivery.
        log.error({ err: error, deliveryId: delivery.id }, "could not send a webhook");
        result = { error: "could not sign or send the webhook; see the server log" };
      }
      outcome = { kind: "sent", result, startedAt, durationMs: Date.now() - startedAt.getTime() };
    }
    for (let attempt = 0; ; attempt++) {
      try {
        const status = await recordOutcome(this.options.db, delivery, outcome, this.options.retry);
        this.options.onAttempt?.(status ?? "superseded", outcome.kind === "sent" ? outcome.durationMs : undefined);
        log.info(
          {
            deliveryId: delivery.id,
            eventId: delivery.eventId,
            eventType: delivery.eventType,
            attempt: delivery.attempts,
            ...(outcome.kind === "sent" && {
              responseStatus: outcome.result.status,
              error: outcome.result.error,
              ms: outcome.durationMs,
            }),
            status: status ?? "superseded",
          },
          "webhook delivery",
        );
        return;
      } catch (error) {
        const wait = RECORD_BACKOFF_MS[attempt];
        if (wait === undefined || (this.stopping && attempt > 0)) {
          log.error(
            { err: error, deliveryId: delivery.id },
            "could not record a webhook delivery; it will be sent again",
          );
          return;
        }
        await new Promise((resolve) => setTimeout(resolve, wait));
      }
    }
  }

  private headers(delivery: ClaimedDelivery, at: Date): Record<string, string> {
    const { secret } = this.options;
    const secrets = [openSecret(secret, delivery.platformId, delivery.secret)];
    if (delivery.previousSecret && delivery.previousSecretExpiresAt && delivery.previousSecretExpiresAt > at) {
      secrets.push(openSecret(secret, delivery.platformId, delivery.previousSecret));
    }
    const timestamp = Math.floor(at.getTime() / 1000);
    return {
      "content-type": "application/json",
      "user-agent": USER_AGENT,
      "webhook-id": delivery.eventId,
      "webhook-timestamp": String(timestamp),
      "webhook-signature": webhookSignature(secrets, delivery.eventId, timestamp, body(delivery)),
    };
  }
}

/** The Standard Webhooks payload: the same bytes for every attempt of an event. */
const bodies = new WeakMap<ClaimedDelivery, string>();
function body(delivery: ClaimedDelivery): string {
  let text = bodies.get(delivery);
  if (text === undefined) {
    text = JSON.stringify(
      toEvent({
        id: delivery.eventId,
        type: delivery.eventType,
        payload: delivery.payload,
        createdAt: delivery.eventAt,
      }),
    );
    bodies.set(delivery, text);
  }
  return text;
}

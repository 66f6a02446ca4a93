import { createTransport, type Transporter } from "nodemailer";
import type { Logger } from "pino";
import type { Db } from "../db/client.ts";
import { isDatabaseUnavailable } from "../db/errors.ts";
import { nextAttemptAt, type RetryPolicy } from "../webhook/retry.ts";
import { claimMails, type ClaimedMail } from "./claim.ts";
import { recordMailOutcome, type MailOutcome } from "./record.ts";
import { renderInvitationMail } from "./render.ts";
import { openMailSecret } from "./seal.ts";

export interface MailWorkerOptions {
  db: Db;
  log: Logger;
  /** The server secret, which opens the sealed codes. */
  secret: Buffer;
  smtpUrl: string;
  from: string;
  /** The portal link for an invitation code. */
  link: (code: string) => string;
  retry: RetryPolicy;
  /** Mails in flight at once. */
  concurrency: number;
  /** How often to look for due mails when no mail signal comes. */
  pollInterval: number;
}

/** Bounds an SMTP conversation; the lease on a claimed mail is derived from it. */
const SMTP_TIMEOUT_MS = 30_000;
const LEASE_MS = SMTP_TIMEOUT_MS * 3 + 5_000;

/**
 * Sends queued invitation mails (mail/outbox.ts): claims due ones (FOR UPDATE SKIP LOCKED),
 * sends each over SMTP outside any transaction, records the outcome with its audit entry. A
 * temporary failure (no connection, a 4xx reply) is retried with backoff over the retry window; a
 * refusal (5xx) fails the mail at once. `stop()` claims nothing more and lets sends finish.
 */
export class MailWorker {
  readonly #options: MailWorkerOptions;
  readonly #transport: Transporter;
  #stopping = false;
  #signalled = false;
  #wakeUp: (() => void) | undefined;
  #loop: Promise<void> | undefined;

  constructor(options: MailWorkerOptions) {
    this.#options = options;
    this.#transport = createTransport({
      url: options.smtpUrl,
      connectionTimeout: SMTP_TIMEOUT_MS,
      greetingTimeout: SMTP_TIMEOUT_MS,
      socketTimeout: SMTP_TIMEOUT_MS,
    });
  }

  start(): void {
    this.#loop ??= this.#run();
  }

  /** Receives the mail signal: look for due mails now. */
  signal = (): void => {
    this.#signalled = true;
    this.#wakeUp?.();
  };

  async stop(): Promise<void> {
    this.#stopping = true;
    this.#wakeUp?.();
    await this.#loop;
    this.#transport.close();
  }

  async #run(): Promise<void> {
    const { db, log, concurrency, pollInterval } = this.#options;
    let failures = 0;
    while (!this.#stopping) {
      this.#signalled = false;
      let claimed: ClaimedMail[];
      try {
        const now = new Date();
        claimed = await claimMails(db, concurrency, now, new Date(now.getTime() + LEASE_MS));
        failures = 0;
      } catch (error) {
        failures++;
        log[isDatabaseUnavailable(error) ? "warn" : "error"]({ err: error }, "could not claim invitation mails");
        await this.#sleep(Math.min(5_000, 100 * 2 ** failures));
        continue;
      }
      await Promise.all(claimed.map((mail) => this.#deliver(mail)));
      if (claimed.length === concurrency) continue;
      if (!this.#signalled) await this.#sleep(pollInterval);
    }
  }

  #sleep(ms: number): Promise<void> {
    if (this.#stopping) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.#wakeUp = () => {
        this.#wakeUp = undefined;
        done();
      };
    });
  }

  async #deliver(mail: ClaimedMail): Promise<void> {
    const { log } = this.#options;
    const startedAt = new Date();
    const outcome = await this.#send(mail, startedAt);
    try {
      const recorded = await recordMailOutcome(this.#options.db, mail, outcome);
      log.info(
        {
          mailId: mail.id,
          slotId: mail.slotId,
          attempt: mail.attempts,
          // Not the SMTP server's words: they may name the recipient, and logs hold no personal data.
          outcome: recorded ? outcome.kind : "superseded",
          ...(outcome.kind === "failed" && { reason: outcome.reason }),
        },
        "invitation mail",
      );
    } catch (error) {
      // The lease runs out and the mail is tried again: a second copy at worst, never none.
      log.error({ err: error, mailId: mail.id }, "could not record an invitation mail; it will be sent again");
    }
  }

  async #send(mail: ClaimedMail, startedAt: Date): Promise<MailOutcome> {
    if (!mail.slotOpen || mail.sealed === null || mail.contact === null) {
      return { kind: "failed", reason: "slot_closed", error: "the slot was answered, expired or erased meanwhile" };
    }
    const { secret, link, from, retry } = this.#options;
    try {
      const code = await openMailSecret(secret, mail.id, mail.sealed);
      const rendered = renderInvitationMail({
        language: mail.language,
        platform: mail.platformName,
        url: link(code),
        code,
        expiresAt: mail.expiresAt,
      });
      await this.#transport.sendMail({ from, to: mail.contact, ...rendered });
      return { kind: "sent" };
    } catch (error) {
      const responseCode = (error as { responseCode?: unknown }).responseCode;
      const message = error instanceof Error ? error.message.slice(0, 500) : String(error);
      if (typeof responseCode === "number" && responseCode >= 500) {
        return { kind: "failed", reason: "rejected", error: message };
      }
      const at = nextAttemptAt(retry, mail.attempts, mail.queuedAt, startedAt, new Date());
      return at
        ? { kind: "retry", at, error: message }
        : { kind: "failed", reason: "retries_exhausted", error: message };
    }
  }
}

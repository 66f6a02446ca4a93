import type { Logger } from "pino";
import { publicUrl } from "../config/load.ts";
import { ENV_NAMES, type Config } from "../config/schema.ts";
import { logConfigWarnings } from "../config/warnings.ts";
import type { ServerContext } from "../context.ts";
import { createDb } from "../db/client.ts";
import { ConfigError } from "../errors.ts";
import { createLogger } from "../log.ts";
import { MAIL_CHANNEL, onMailSignal } from "../mail/signal.ts";
import { MailWorker } from "../mail/worker.ts";
import { invitationUrl } from "../publication/invitation.ts";
import { sendReportOverdueNotices } from "../report/sla.ts";
import { sendTakedownOverdueNotices } from "../takedown/sla.ts";
import { listenForDeliverySignals } from "../webhook/listen.ts";
import { allowPrivateNetworks } from "../webhook/private-address.ts";
import { createSender } from "../webhook/send.ts";
import { onDeliverySignal } from "../webhook/signal.ts";
import { DeliveryWorker } from "../webhook/worker.ts";
import { openDatabase, type DatabaseHandle } from "./database.ts";
import { every } from "../periodic.ts";
import { resolveSecret } from "./secret.ts";

export interface RunningWorker {
  /** Claims nothing more, lets sends in flight finish and be recorded, then stops. */
  close(): Promise<void>;
}

/**
 * The background work of an instance: webhook delivery, invitation mail and the SLA clocks
 * (overdue notices for takedowns and reports). Everything it holds is in PostgreSQL, claimed with SKIP LOCKED, so any
 * number of instances can run it side by side.
 */
export function startWorker(
  ctx: Pick<ServerContext, "config" | "db" | "log" | "secret"> & Partial<Pick<ServerContext, "metrics" | "publicUrl">>,
  database: Pick<DatabaseHandle, "url" | "embedded">,
): RunningWorker {
  const { config, db, log } = ctx;
  const sender = createSender({
    timeout: config.webhooks.timeout,
    allowPrivateNetworks: allowPrivateNetworks(config),
  });
  const deliveries = new DeliveryWorker({
    db,
    log,
    secret: ctx.secret,
    sender,
    concurrency: config.worker.concurrency,
    pollInterval: config.worker.pollInterval,
    timeout: config.webhooks.timeout,
    ...(ctx.metrics && { onAttempt: ctx.metrics.webhookAttempt }),
    retry: {
      initialDelay: config.webhooks.retryInitialDelay,
      maxDelay: config.webhooks.retryMaxDelay,
      window: config.webhooks.retryWindow,
    },
  });
  deliveries.start();
  const unsubscribe = onDeliverySignal(deliveries.signal);
  // The embedded database lives in this process, so the in-process signal reaches every worker.
  const listener = database.embedded ? undefined : listenForDeliverySignals(database.url, log, deliveries.signal);

  const mail = startMailWorker(ctx, database);

  const interval = config.takedowns.overdueNoticeInterval;
  const slaClock = every(
    "sla-clock",
    config.worker.pollInterval,
    async () => {
      const sent = (await sendTakedownOverdueNotices(db, interval)) + (await sendReportOverdueNotices(db, interval));
      if (sent > 0) log.info({ notices: sent }, "sent overdue notices");
    },
    log,
  );

  return {
    async close() {
      unsubscribe();
      await Promise.all([deliveries.stop(), slaClock.stop(), listener?.close(), mail?.close()]);
      await sender.close();
    },
  };
}

/** Invitation mail, when an SMTP server is configured; until then the mails wait in the database. */
function startMailWorker(
  ctx: Parameters<typeof startWorker>[0],
  database: Pick<DatabaseHandle, "url" | "embedded">,
): RunningWorker | undefined {
  const { config, db, log } = ctx;
  const { smtpUrl } = config.mail;
  if (!smtpUrl) {
    log.warn(`${ENV_NAMES["mail.smtpUrl"]} is not set: invitation mails wait in the database until it is`);
    return undefined;
  }
  const url = ctx.publicUrl ?? publicUrl(config);
  const worker = new MailWorker({
    db,
    log,
    secret: ctx.secret,
    smtpUrl,
    from: config.mail.from ?? `Vergewis <noreply@${new URL(url).hostname}>`,
    link: (code) => invitationUrl(url, code),
    concurrency: config.worker.concurrency,
    pollInterval: config.worker.pollInterval,
    // The webhooks' backoff and window: a mail server that is away is retried like a receiver.
    retry: {
      initialDelay: config.webhooks.retryInitialDelay,
      maxDelay: config.webhooks.retryMaxDelay,
      window: config.webhooks.retryWindow,
    },
  });
  worker.start();
  const unsubscribe = onMailSignal(worker.signal);
  const listener = database.embedded
    ? undefined
    : listenForDeliverySignals(database.url, log, worker.signal, MAIL_CHANNEL);
  return {
    async close() {
      unsubscribe();
      await Promise.all([worker.stop(), listener?.close()]);
    },
  };
}

/**
 * `vergewis worker`: the background work alone, beside instances started with the worker off.
 * It needs PostgreSQL: the embedded database belongs to the `vergewis start` process, which runs
 * the worker itself.
 */
export async function startWorkerProcess(config: Config, options: { log?: Logger } = {}): Promise<RunningWorker> {
  if (!config.database.url) {
    throw new ConfigError([
      {
        pointer: `database.url (${ENV_NAMES["database.url"]})`,
        reason: "vergewis worker needs PostgreSQL; with the embedded database, vergewis start runs the worker",
      },
    ]);
  }
  const log = options.log ?? createLogger(config);
  logConfigWarnings(config, log);
  const database = await openDatabase(config);
  const db = createDb(database.url, database.poolSize);
  const worker = startWorker({ config, db, log, secret: resolveSecret(config) }, database);
  log.info("vergewis worker is running");
  return {
    async close() {
      await worker.close();
      await db.$disconnect();
      await database.close();
    },
  };
}

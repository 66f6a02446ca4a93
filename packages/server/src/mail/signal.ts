import { wakeSignal } from "../db/wake-signal.ts";

/** The PostgreSQL NOTIFY channel on which commits that queued invitation mails signal other instances. */
export const MAIL_CHANNEL = "vergewis_mail";

const mail = wakeSignal(MAIL_CHANNEL);

/** Invitation mails were queued: mail workers send them at once rather than at the next poll. */
export const mailSignal = mail.signal;

/** Mail workers of this process receive the mail signal here. */
export const onMailSignal = mail.on;

import type { Signal } from "../db/transaction.ts";

/** The PostgreSQL NOTIFY channel on which commits that queued invitation mails signal other instances. */
export const MAIL_CHANNEL = "vergewis_mail";

const receivers = new Set<() => void>();

/** Mail workers of this process receive the mail signal here. */
export function onMailSignal(receive: () => void): () => void {
  receivers.add(receive);
  return () => receivers.delete(receive);
}

/** Invitation mails were queued: mail workers send them at once rather than at the next poll. */
export const mailSignal: Signal = {
  channel: MAIL_CHANNEL,
  payload: "",
  receive() {
    for (const receive of receivers) receive();
  },
};

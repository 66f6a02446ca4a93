import type { CaughtMail, MailCatcher } from "../../scripts/local-system/mail-catcher.ts";

export { startMailCatcher, type CaughtMail, type MailCatcher } from "../../scripts/local-system/mail-catcher.ts";

/** The portal link and the short code of an invitation mail, read from its plain-text part. */
export function invitationIn(mail: CaughtMail): { url: string; code: string } {
  const url = /https?:\/\/\S+\/portal\/i\/[0-9A-Z]+/.exec(mail.text)?.[0];
  const code = /\b[0-9A-Z]{4}(?:-[0-9A-Z]{4}){5}-[0-9A-Z]{2}\b/.exec(mail.text)?.[0];
  if (!url || !code) throw new Error(`not an invitation mail:\n${mail.text}`);
  return { url, code };
}

/**
 * The link of an invitation as the example platform keeps it: the uploader's own from the
 * platform, a co-performer's from the mail Vergewis sent to their address.
 */
export async function invitationLink(
  sent: { url?: string | undefined; contact?: string | undefined },
  mail: Pick<MailCatcher, "waitForMail">,
): Promise<string> {
  if (sent.url !== undefined) return sent.url;
  return invitationIn(await mail.waitForMail(sent.contact!)).url;
}

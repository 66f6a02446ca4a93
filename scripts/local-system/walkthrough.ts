import type { RunningSystem } from "./start.ts";

/** What `npm start` prints once everything listens: the addresses and a first tour. */
export function walkthrough(system: RunningSystem): string {
  const { server, example, credentials, mail } = system;
  return `
Vergewis is running, with everything it needs on this machine.

  Example platform   ${example.url}
  Vergewis API       ${server.url}
  Performer portal   ${server.url}/portal
  Auditor console    ${server.url}/audit
  Caught mail        ${mail ? mail.url : "(sent through VERGEWIS_SMTP_URL)"}
  Auditor token      ${credentials.auditorToken}
  Data               ${server.ctx.config.dataDir} (embedded PostgreSQL; delete it to start afresh)

Try it:
  1. Upload a file at ${example.url}: say that you appear in it, give one co-performer's e-mail
     address and the day it was made. The upload's page (in this browser only) shows your own
     invitation link; Vergewis mails the co-performer theirs (the platform never sees it).
  2. Open your invitation link. At the local identity provider sign in as "adult" (a test
     identity; "adult+2", "adult+anything" are other adults), then create a passkey; the portal
     shows the file, checks it against its fingerprint, and then lets you sign.
  3. Open the co-performer's mail at ${mail ? mail.url : "their mailbox"}, and its link in a private
     window; do the same as "adult+2".
  4. Once both signed, the file is live at ${example.url}/media/<id> (linked from its page).
  5. Withdraw a consent in the portal (${server.url}/portal): the platform receives the
     takedown webhook, deletes the file and acknowledges; /media/<id> answers 410 Gone, and a
     re-upload of the same file is refused.
  6. Open the auditor console at ${server.url}/audit with the auditor token above: the
     revocation, the takedown and its acknowledgement are in the log.

Press Ctrl-C to stop everything.
`;
}

import http from "node:http";
import type { AddressInfo } from "node:net";
import { simpleParser } from "mailparser";
import { SMTPServer } from "smtp-server";

/** One mail as the catcher received it. */
export interface CaughtMail {
  id: number;
  /** Envelope recipients (RCPT TO), lower case. */
  to: string[];
  from: string;
  subject: string;
  text: string;
  html: string;
  receivedAt: Date;
}

export interface MailCatcher {
  /** `smtp://127.0.0.1:<port>`: give it to the server as VERGEWIS_SMTP_URL. */
  smtpUrl: string;
  /** The page that lists the caught mails (as Mailpit does). */
  url: string;
  mails: CaughtMail[];
  /**
   * The first mail to `address` that no earlier call took, waiting for it up to `timeoutMs`: calls
   * for one address get its mails in the order they came.
   */
  waitForMail(address: string, timeoutMs?: number): Promise<CaughtMail>;
  close(): Promise<void>;
}

/**
 * A real SMTP server on 127.0.0.1 that keeps every mail it receives in memory, with a small web
 * page that lists and shows them: where invitation mails go in development (`npm start`) and in
 * tests. It accepts any sender and recipient, without TLS or login: for the loopback address only.
 */
export async function startMailCatcher(options: { smtpPort?: number; httpPort?: number } = {}): Promise<MailCatcher> {
  const mails: CaughtMail[] = [];
  const taken = new Set<number>();
  const waiters = new Set<() => void>();
  let nextId = 1;

  const smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS", "AUTH"],
    banner: "Vergewis mail catcher",
    logger: false,
    onData(stream, session, done) {
      simpleParser(stream).then(
        (parsed) => {
          mails.push({
            id: nextId++,
            to: session.envelope.rcptTo.map((r) => r.address.toLowerCase()),
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : "",
            subject: parsed.subject ?? "",
            text: parsed.text ?? "",
            html: typeof parsed.html === "string" ? parsed.html : "",
            receivedAt: new Date(),
          });
          for (const wake of waiters) wake();
          done();
        },
        (error: Error) => done(error),
      );
    },
  });
  await new Promise<void>((resolve, reject) => {
    smtp.once("error", reject);
    smtp.listen(options.smtpPort ?? 0, "127.0.0.1", () => resolve());
  });
  // A sender whose connection breaks mid-mail (a server killed while sending) ends that session
  // only; without a listener the error would end the process the catcher runs in (`npm start`).
  smtp.on("error", () => {});
  const smtpPort = (smtp.server.address() as AddressInfo).port;

  const page = http.createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const shown = /^\/mails\/(\d+)(\/html)?$/.exec(url.pathname);
    const mail = shown ? mails.find((m) => m.id === Number(shown[1])) : undefined;
    const send = (
      status: number,
      type: string,
      body: string,
      csp = "default-src 'none'; style-src 'unsafe-inline'; frame-src 'self'",
    ) => {
      res.writeHead(status, { "content-type": `${type}; charset=utf-8`, "content-security-policy": csp });
      res.end(body);
    };
    if (url.pathname === "/") return send(200, "text/html", listPage(mails));
    if (url.pathname === "/api/mails") return send(200, "application/json", JSON.stringify(mails));
    if (mail && shown![2]) return send(200, "text/html", mail.html, "default-src 'none'; style-src 'unsafe-inline'");
    if (mail) return send(200, "text/html", mailPage(mail));
    send(404, "text/plain", "No such mail.");
  });
  await new Promise<void>((resolve, reject) => {
    page.once("error", reject);
    page.listen(options.httpPort ?? 0, "127.0.0.1", () => resolve());
  });
  const httpPort = (page.address() as AddressInfo).port;

  return {
    smtpUrl: `smtp://127.0.0.1:${smtpPort}`,
    url: `http://127.0.0.1:${httpPort}`,
    mails,
    waitForMail(address, timeoutMs = 20_000) {
      const wanted = address.toLowerCase();
      const find = () => mails.find((m) => !taken.has(m.id) && m.to.includes(wanted));
      return new Promise((resolve, reject) => {
        const check = () => {
          const mail = find();
          if (!mail) return;
          taken.add(mail.id);
          clearTimeout(timer);
          waiters.delete(check);
          resolve(mail);
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`no mail to ${address} within ${timeoutMs} ms`));
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
    async close() {
      await Promise.all([
        new Promise<void>((resolve) => smtp.close(() => resolve())),
        new Promise<void>((resolve) => {
          page.close(() => resolve());
          page.closeAllConnections();
        }),
      ]);
    },
  };
}

const escape = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const layout = (title: string, body: string) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escape(title)}</title>
<style>body{font-family:system-ui,sans-serif;margin:2rem;max-width:60rem}table{border-collapse:collapse;width:100%}
td,th{text-align:left;padding:.4rem;border-bottom:1px solid #ddd}pre{white-space:pre-wrap;background:#f6f6f6;padding:1rem}
iframe{width:100%;height:28rem;border:1px solid #ddd}</style></head><body>${body}</body></html>`;

function listPage(mails: CaughtMail[]): string {
  const rows = [...mails]
    .reverse()
    .map(
      (m) =>
        `<tr><td>${escape(m.receivedAt.toISOString())}</td><td>${escape(m.to.join(", "))}</td>` +
        `<td><a href="/mails/${m.id}">${escape(m.subject || "(no subject)")}</a></td></tr>`,
    )
    .join("");
  return layout(
    "Caught mail",
    `<h1>Caught mail</h1><p>Every mail sent to this machine's SMTP server, newest first. Reload for new ones.</p>` +
      (mails.length === 0
        ? "<p>No mail yet.</p>"
        : `<table><thead><tr><th>Received</th><th>To</th><th>Subject</th></tr></thead><tbody>${rows}</tbody></table>`),
  );
}

// The HTML part is shown in a sandbox, where links do not open: they are listed here to click.
const links = (text: string) =>
  [...new Set(text.match(/https?:\/\/[^\s<>"]+/g) ?? [])]
    .map((link) => `<li><a href="${escape(link)}">${escape(link)}</a></li>`)
    .join("");

function mailPage(mail: CaughtMail): string {
  return layout(
    mail.subject,
    `<p><a href="/">All mail</a></p><h1>${escape(mail.subject)}</h1>` +
      `<p>From ${escape(mail.from)} to ${escape(mail.to.join(", "))}, ${escape(mail.receivedAt.toISOString())}</p>` +
      `<h2>Links</h2><ul>${links(mail.text)}</ul>` +
      `<h2>HTML</h2><iframe sandbox src="/mails/${mail.id}/html" title="The HTML part"></iframe>` +
      `<h2>Plain text</h2><pre>${escape(mail.text)}</pre>`,
  );
}

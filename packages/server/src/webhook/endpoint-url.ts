import { ValidationError } from "../errors.ts";

const LOOPBACK_HOSTS = new Set(["127.0.0.1", "[::1]", "localhost"]);

/**
 * Webhook URLs must be https, so that events and signatures cannot be read or altered in transit;
 * a development server may also deliver over http to its own loopback address. Credentials in
 * the URL are refused: they would be stored and listed in clear, and the signature does their job.
 */
export function checkEndpointUrl(raw: string, options: { allowLoopbackHttp: boolean }): string {
  const url = new URL(raw);
  const refuse = (reason: string) => new ValidationError([{ pointer: "/body/url", reason }]);
  if (url.username || url.password) throw refuse("must not contain credentials; verify the webhook signature instead");
  if (url.hash) throw refuse("must not contain a fragment");
  if (url.protocol === "http:" && !(options.allowLoopbackHttp && LOOPBACK_HOSTS.has(url.hostname))) {
    throw refuse(
      options.allowLoopbackHttp ? "must be https (http only on 127.0.0.1, ::1 or localhost)" : "must be https",
    );
  }
  return url.toString();
}

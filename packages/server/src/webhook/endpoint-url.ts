import { ValidationError } from "../errors.ts";
import { isPrivateAddress } from "./private-address.ts";

export const LOOPBACK_HOSTS = new Set(["127.0.0.1", "[::1]", "localhost"]);

/**
 * A well-formed URL whose address webhooks may not reach: refused at once rather than accepted
 * and then failed at every delivery (422, naming the field).
 */
export class PrivateWebhookAddressError extends ValidationError {
  constructor(reason: string) {
    super(
      [{ pointer: "/body/url", reason }],
      "Webhooks may not be sent to this address.",
      "private_address",
      "unprocessable",
    );
  }
}

/**
 * Webhook URLs must be https, so that events and signatures cannot be read or altered in transit;
 * a development server may also deliver over http to its own loopback address. Credentials in
 * the URL are refused: they would be stored and listed in clear, and the signature does their job.
 * Where private networks are off (production), a private address written into the URL is refused
 * here; names are checked when delivering, against what they resolve to then.
 */
export function checkEndpointUrl(
  raw: string,
  options: { allowLoopbackHttp: boolean; allowPrivateNetworks: boolean },
): string {
  const url = new URL(raw);
  const refuse = (reason: string) => new ValidationError([{ pointer: "/body/url", reason }]);
  if (url.username || url.password) throw refuse("must not contain credentials; verify the webhook signature instead");
  if (url.hash) throw refuse("must not contain a fragment");
  if (url.protocol === "http:" && !(options.allowLoopbackHttp && LOOPBACK_HOSTS.has(url.hostname))) {
    throw refuse(
      options.allowLoopbackHttp ? "must be https (http only on 127.0.0.1, ::1 or localhost)" : "must be https",
    );
  }
  const host = url.hostname.replace(/^\[(.*)\]$/, "$1");
  if (!options.allowPrivateNetworks && (host === "localhost" || isPrivateAddress(host))) {
    throw new PrivateWebhookAddressError(
      "must not be a private, loopback, link-local or reserved address (nor an IPv6 form of one): webhooks are not sent there",
    );
  }
  return url.toString();
}

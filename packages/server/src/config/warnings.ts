import type { Logger } from "pino";
import { ENV_NAMES, type Config } from "./schema.ts";

/**
 * Settings that are allowed but switch a protection off. They are said at every start, so that
 * an operator who set one for a test does not keep it unawares.
 */
export function configWarnings(config: Config): Array<{ setting: string; message: string }> {
  const warnings: Array<{ setting: string; message: string }> = [];
  if (config.http.trustProxy === true) {
    warnings.push({
      setting: ENV_NAMES["http.trustProxy"],
      message:
        "every hop of X-Forwarded-For is trusted, so a client can name its own address and escape the rate " +
        "limits; set the number of proxies in front (1 for one reverse proxy) or their addresses",
    });
  }
  if (config.webhooks.allowPrivateNetworks === true) {
    warnings.push({
      setting: ENV_NAMES["webhooks.allowPrivateNetworks"],
      message:
        "webhooks may be delivered to private, loopback and link-local addresses, so a platform can make " +
        "this server send requests into its internal network",
    });
  }
  return warnings;
}

export function logConfigWarnings(config: Config, log: Logger): void {
  for (const { setting, message } of configWarnings(config)) log.warn({ setting }, `${setting}: ${message}`);
}

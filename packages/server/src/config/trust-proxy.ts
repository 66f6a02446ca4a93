import proxyaddr from "proxy-addr";
import { z } from "zod";

const HELP =
  "must be a number of proxies in front (1 for one reverse proxy), true, false, or a comma-separated list of " +
  "loopback, linklocal, uniquelocal, IP addresses and CIDR ranges";

/**
 * Express's `trust proxy`, with its semantics: `true`/`false`, a hop count, or a comma-separated
 * list of proxy addresses. From the environment everything is a string, and Express would read
 * `"1"` as an address; so digits become the hop count here, as the operator meant. Lists are
 * checked with proxy-addr, the parser Express itself compiles them with, so what passes here is
 * exactly what Express accepts.
 */
export const trustProxy = z
  .union([z.boolean(), z.number(), z.string(), z.array(z.string())])
  .transform((input, ctx): boolean | number | string[] => {
    let value: boolean | number | string[];
    if (typeof input === "string") {
      const text = input.trim();
      if (text === "true" || text === "false") value = text === "true";
      else if (/^\d+$/.test(text)) value = Number(text);
      else value = text.split(",").map((entry) => entry.trim());
    } else value = input;
    if (typeof value === "boolean") return value;
    if (typeof value === "number") {
      if (Number.isSafeInteger(value) && value >= 0) return value;
      ctx.addIssue({ code: "custom", message: HELP });
      return z.NEVER;
    }
    try {
      proxyaddr.compile(value);
      return value;
    } catch (error) {
      ctx.addIssue({ code: "custom", message: `${HELP} (${(error as Error).message})` });
      return z.NEVER;
    }
  });

import type { Response } from "express";

/**
 * Adds sources to directives of the Content-Security-Policy that helmet set for every page, for
 * this answer only: a page that needs one more origin names exactly that origin.
 */
export function widenContentSecurityPolicy(res: Response, extra: Record<string, readonly string[]>): void {
  const header = String(res.getHeader("Content-Security-Policy") ?? "");
  const directives = new Map(
    header
      .split(";")
      .map((d) => d.trim().split(/\s+/))
      .filter(([name]) => name)
      .map(([name, ...values]) => [name!, values]),
  );
  for (const [name, values] of Object.entries(extra))
    directives.set(name, [...(directives.get(name) ?? []), ...values]);
  res.setHeader(
    "Content-Security-Policy",
    [...directives].map(([name, values]) => [name, ...values].join(" ")).join(";"),
  );
}

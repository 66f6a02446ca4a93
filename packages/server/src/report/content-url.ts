import { ValidationError } from "../errors.ts";

const PLACEHOLDER = "{externalId}";

/**
 * A platform's content URL template, e.g. `https://example.com/videos/{externalId}`: an http(s)
 * URL with the placeholder exactly once, in the path or the query.
 */
export function checkContentUrlTemplate(template: string): string {
  const parts = template.split(PLACEHOLDER);
  // The placeholder comes after the authority: in the path or the query, never in the host.
  const authorityEnd = template.indexOf("/", template.indexOf("://") + 3);
  let valid = parts.length === 2 && authorityEnd !== -1 && template.indexOf(PLACEHOLDER) > authorityEnd;
  try {
    const url = new URL(parts.join("x"));
    valid &&= url.protocol === "https:" || url.protocol === "http:";
  } catch {
    valid = false;
  }
  if (!valid) {
    const reason = `must be an http(s) URL with ${PLACEHOLDER} once in its path or query`;
    throw new ValidationError([{ pointer: "/contentUrlTemplate", reason }], `The content URL template ${reason}.`);
  }
  return template;
}

/** The externalId that `url` names under `template`, if it matches. Scheme and host compare case-insensitively. */
export function externalIdFromUrl(template: string, url: string): string | undefined {
  const [before, after] = template.split(PLACEHOLDER) as [string, string];
  const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const pattern = new RegExp(`^${escape(before)}([^/?#]+)${escape(after)}(?:[?#].*)?$`, "i");
  const normalised = new URL(url);
  normalised.hash = "";
  const match = pattern.exec(normalised.toString()) ?? pattern.exec(url);
  if (!match) return undefined;
  try {
    return decodeURIComponent(match[1]!);
  } catch {
    return undefined;
  }
}

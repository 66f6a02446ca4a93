import type { ReviewItem } from "@vergewis/sdk";
import { ValidationError } from "../errors.ts";
import { LOOPBACK_HOSTS } from "../webhook/endpoint-url.ts";

/**
 * Review URLs must be https: the performer's browser fetches the content from them, and what it
 * shows must come from the platform unaltered. Outside production a platform on this machine may
 * serve them over http on a loopback host, as webhook endpoints may. Credentials in the URL are
 * refused: the portal page would carry them to every performer's browser. Every bad URL is named
 * at once.
 */
export function checkReviewUrls(items: readonly ReviewItem[], options: { allowLoopbackHttp: boolean }): void {
  const issues = items.flatMap((item, index) => {
    const url = new URL(item.url);
    const pointer = `/body/reviewItems/${index}/url`;
    if (url.username || url.password) return [{ pointer, reason: "must not contain credentials" }];
    if (url.protocol === "http:" && !(options.allowLoopbackHttp && LOOPBACK_HOSTS.has(url.hostname))) {
      const reason = options.allowLoopbackHttp
        ? "must be https (http only on 127.0.0.1, ::1 or localhost)"
        : "must be an https URL";
      return [{ pointer, reason }];
    }
    return [];
  });
  if (issues.length > 0) throw new ValidationError(issues);
}

import { describe, expect, test } from "vitest";
import { redactUrl } from "./request-log.ts";

describe("redactUrl", () => {
  test.each([
    ["/v1/publications", "/v1/publications"],
    ["/portal/i/7S95T97HPJZH9RYE4NKN3C34H9", "/portal/i/[redacted]"],
    ["/portal/i/7S95T97HPJZH9RYE4NKN3C34H9/sign", "/portal/i/[redacted]/sign"],
    ["/portal/verify/callback?code=abc&state=xyz", "/portal/verify/callback?code=[redacted]&state=[redacted]"],
    ["/v1/publications?externalId=x", "/v1/publications?externalId=[redacted]"],
  ])("%s", (url, expected) => {
    expect(redactUrl(url)).toBe(expected);
  });
});

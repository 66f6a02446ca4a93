import { describe, expect, test } from "vitest";
import { ValidationError } from "../errors.ts";
import { checkContentUrlTemplate, externalIdFromUrl } from "./content-url.ts";

describe("content URL templates", () => {
  test.each([
    "https://example.com/v/{externalId}",
    "https://example.com/watch?v={externalId}",
    "http://x.test/a/{externalId}/b",
  ])("accepts %s", (template) => expect(checkContentUrlTemplate(template)).toBe(template));

  test.each([
    "https://example.com/v/",
    "https://example.com/{externalId}/{externalId}",
    "https://{externalId}.example.com/",
    "ftp://example.com/{externalId}",
    "not a url {externalId}",
  ])("refuses %s", (template) => expect(() => checkContentUrlTemplate(template)).toThrow(ValidationError));

  test("finds the externalId a URL names", () => {
    const template = "https://example.com/v/{externalId}";
    expect(externalIdFromUrl(template, "https://example.com/v/abc-123")).toBe("abc-123");
    expect(externalIdFromUrl(template, "https://EXAMPLE.com/v/abc-123?t=10#top")).toBe("abc-123");
    expect(externalIdFromUrl(template, "https://example.com/v/a%20b")).toBe("a b");
    expect(externalIdFromUrl(template, "https://example.com/v/abc/extra")).toBeUndefined();
    expect(externalIdFromUrl(template, "https://example.org/v/abc")).toBeUndefined();
    expect(externalIdFromUrl(template, "https://example.com/v/%E0%A4%A")).toBeUndefined();
    expect(externalIdFromUrl("https://example.com/watch?v={externalId}", "https://example.com/watch?v=xyz")).toBe(
      "xyz",
    );
  });
});

import { describe, expect, test } from "vitest";
import { ValidationError } from "../errors.ts";
import { checkReviewUrls } from "./review-url.ts";

const item = (url: string) => ({ sha256: "a".repeat(64), url });

describe("review URLs", () => {
  test("https is accepted anywhere; http only on a loopback host outside production", () => {
    expect(() => checkReviewUrls([item("https://cdn.example.test/r/1")], { allowLoopbackHttp: false })).not.toThrow();
    for (const host of ["127.0.0.1:8080", "[::1]", "localhost"]) {
      expect(() => checkReviewUrls([item(`http://${host}/r/1`)], { allowLoopbackHttp: true })).not.toThrow();
    }
    for (const url of ["http://127.0.0.1/r/1", "http://localhost/r/1"]) {
      expect(() => checkReviewUrls([item(url)], { allowLoopbackHttp: false })).toThrow(ValidationError);
    }
    expect(() => checkReviewUrls([item("http://10.0.0.1/r/1")], { allowLoopbackHttp: true })).toThrow(ValidationError);
  });

  test("every bad URL is named at once", () => {
    const error = (() => {
      try {
        checkReviewUrls([item("http://cdn.example.test/1"), item("https://a:b@cdn.example.test/2")], {
          allowLoopbackHttp: true,
        });
      } catch (e) {
        return e as ValidationError;
      }
    })();
    expect(error?.issues).toEqual([
      { pointer: "/body/reviewItems/0/url", reason: "must be https (http only on 127.0.0.1, ::1 or localhost)" },
      { pointer: "/body/reviewItems/1/url", reason: "must not contain credentials" },
    ]);
  });
});

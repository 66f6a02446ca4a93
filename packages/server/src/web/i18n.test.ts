import type { Request, Response } from "express";
import { describe, expect, test } from "vitest";
import { catalogue, negotiateLocale } from "./i18n.ts";

function negotiate(headers: Record<string, string>, query: Record<string, string> = {}) {
  const cookies: Array<[string, string]> = [];
  const req = { headers, query } as unknown as Request;
  const res = { cookie: (name: string, value: string) => cookies.push([name, value]) } as unknown as Response;
  return { locale: negotiateLocale(req, res), cookies };
}

describe("negotiateLocale", () => {
  test.each([
    [{}, "en"],
    [{ "accept-language": "nl-NL,nl;q=0.9,en;q=0.8" }, "nl"],
    [{ "accept-language": "de-DE,de;q=0.9,en;q=0.5,nl;q=0.4" }, "en"],
    [{ "accept-language": "fr, nl;q=0.3" }, "nl"],
    [{ "accept-language": "nl;q=0, en" }, "en"],
    [{ "accept-language": "garbage;;;q=x" }, "en"],
    [{ cookie: "a=1; lang=nl", "accept-language": "en" }, "nl"],
  ])("%j → %s", (headers, expected) => {
    expect(negotiate(headers).locale).toBe(expected);
  });

  test("an explicit choice wins and is remembered", () => {
    expect(negotiate({ cookie: "lang=en" }, { lang: "nl" })).toEqual({ locale: "nl", cookies: [["lang", "nl"]] });
    expect(negotiate({}, { lang: "de" }).cookies).toEqual([]);
  });
});

describe("catalogue", () => {
  const t = catalogue({
    en: { hello: "Hello {name}", plain: "Plain" },
    nl: { hello: "Hallo {name}", plain: "Gewoon" },
  });
  test("translates and fills placeholders", () => {
    expect(t("nl")("hello", { name: "Sam" })).toBe("Hallo Sam");
    expect(t("en")("plain")).toBe("Plain");
    expect(t("en")("hello")).toBe("Hello {name}");
  });
});

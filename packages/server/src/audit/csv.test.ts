import { describe, expect, test } from "vitest";
import { csvField, csvRow } from "./csv.ts";

describe("CSV (RFC 4180)", () => {
  test.each([
    ["plain", "plain"],
    ["a,b", '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ["two\nlines", '"two\nlines"'],
    ['{"a":1,"b":2}', '"{""a"":1,""b"":2}"'],
    [null, ""],
    [42, "42"],
    [-1, "-1"],
  ])("%j → %s", (value, expected) => {
    expect(csvField(value)).toBe(expected);
  });

  test.each(["=HYPERLINK(1)", "+1", "-2+3", "@SUM(A1)"])(
    "a text that a spreadsheet would run (%s) stays text",
    (value) => {
      expect(csvField(value)).toBe(`'${value}`);
    },
  );

  test("rows end with CRLF", () => {
    expect(csvRow(["a", 1, null])).toBe("a,1,\r\n");
  });
});

// The error catalogue (`errorCodes` in the SDK) is the one list of codes: docs/errors.md shows it
// row for row, and every code the other guides and the SDK README cite is in it.
import fs from "node:fs";
import { describe, expect, test } from "vitest";
import { errorCodes, isErrorCode } from "@vergewis/sdk";

const read = (file: string) => fs.readFileSync(new URL(`../../${file}`, import.meta.url), "utf8");
const guides = fs
  .readdirSync(new URL("../../docs", import.meta.url))
  .filter((file) => file.endsWith(".md"))
  .map((file) => `docs/${file}`);

describe("docs/errors.md", () => {
  test("lists the catalogue: every code with its meaning, in its order, and nothing else", () => {
    const rows = [...read("docs/errors.md").matchAll(/^\| `([^`]+)` \| (.+?) \|$/gm)].map((m) => [m[1], m[2]]);
    expect(rows).toEqual(Object.entries(errorCodes));
  });
});

describe("codes cited in the docs", () => {
  // `409 content_withdrawn`, 409 `content_withdrawn`, `removed_at_out_of_range` (422)
  const cited = (text: string) =>
    [...text.matchAll(/`[1-5]\d\d ([a-z_]+)`|[1-5]\d\d `([a-z_]+)`|`([a-z_]+)` \([1-5]\d\d\)/g)].map(
      (m) => m[1] ?? m[2] ?? m[3]!,
    );

  const files = [...guides, "README.md", "packages/sdk/README.md"];

  test("finds the codes the docs cite", () => {
    expect(files.flatMap((file) => cited(read(file))).length).toBeGreaterThan(20);
  });

  test.each(files)("%s cites only catalogued codes", (file) => {
    expect(cited(read(file)).filter((code) => !isErrorCode(code))).toEqual([]);
  });

  test("the SDK README's table of error classes names only catalogued codes, or the SDK's own", () => {
    const readme = read("packages/sdk/README.md");
    const table = readme.slice(
      readme.indexOf("| class | when | examples of `code` |"),
      readme.indexOf("<!-- examples/errors.ts -->"),
    );
    const codes = table
      .split("\n")
      .slice(2)
      // The codes column, without its remarks in brackets (which name fields such as `errors`).
      .flatMap((row) => [...(row.split("|")[3] ?? "").replace(/\([^)]*\)/g, "").matchAll(/`([a-z_]+)`/g)])
      .map((m) => m[1]!);
    // Codes of errors the SDK raises itself, when no answer (or none it understands) came.
    const own = new Set(["connection_failed", "timeout", "invalid_response"]);
    expect(codes.length).toBeGreaterThan(10);
    expect(codes.filter((code) => !isErrorCode(code) && !own.has(code))).toEqual([]);
  });
});

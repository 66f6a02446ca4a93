import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { errorCodes } from "@vergewis/sdk";
import { expect, test } from "vitest";

// `VergewisError<C extends ErrorCode>` makes every code the server gives an error a catalogued one;
// this is the other direction: the catalogue holds no code that nothing gives any more.
test("every catalogued code is one the server gives", () => {
  const dir = path.dirname(fileURLToPath(import.meta.url));
  const source = fs
    .readdirSync(dir, { recursive: true, encoding: "utf8" })
    .filter((file) => file.endsWith(".ts") && !file.endsWith(".test.ts") && !file.startsWith(`db${path.sep}generated`))
    .map((file) => fs.readFileSync(path.join(dir, file), "utf8"))
    .join("\n");
  expect(Object.keys(errorCodes).filter((code) => !source.includes(`"${code}"`))).toEqual([]);
});

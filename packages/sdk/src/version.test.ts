import fs from "node:fs";
import { expect, test } from "vitest";
import { SDK_VERSION } from "./version.ts";

test("SDK_VERSION is the package's version", () => {
  const pkg = JSON.parse(fs.readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { version: string };
  expect(SDK_VERSION).toBe(pkg.version);
});

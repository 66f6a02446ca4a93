import fs from "node:fs";
import { builtinModules } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { expect, test } from "vitest";

const dir = fileURLToPath(new URL("../../packages/examples", import.meta.url));
const sdkPackage = fileURLToPath(new URL("../../packages/sdk/package.json", import.meta.url));

test("the example platform uses only the SDK's public entry points and its declared dependencies", () => {
  const pkg = JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8")) as {
    dependencies: Record<string, string>;
  };
  // The SDK's public entry points are what its package.json exports (`.`, `./express`, `./fingerprint`).
  const sdkExports = Object.keys((JSON.parse(fs.readFileSync(sdkPackage, "utf8")) as { exports: object }).exports)
    .filter((entry) => entry !== "./package.json")
    .map((entry) => entry.replace(/^\./, "@vergewis/sdk"));
  const allowed = new Set([...builtinModules, ...Object.keys(pkg.dependencies), ...sdkExports]);
  const sources = fs
    .readdirSync(path.join(dir, "src"), { recursive: true, encoding: "utf8" })
    .filter((file) => file.endsWith(".ts"));
  const foreign: string[] = [];
  for (const file of sources) {
    const code = fs.readFileSync(path.join(dir, "src", file), "utf8");
    for (const [, specifier] of code.matchAll(/^(?:import|export)[^"']*from\s+["']([^"']+)["']/gm)) {
      if (specifier!.startsWith(".")) continue;
      const name = specifier!.replace(/^node:/, "");
      if (!allowed.has(name)) foreign.push(`${file}: ${specifier}`);
    }
  }
  expect(sources.length).toBeGreaterThan(5);
  expect(foreign).toEqual([]);
});

test("the README's settings table documents every environment variable, and no other", async () => {
  const { ENV_NAMES } = await import("../../packages/examples/src/config.ts");
  const readme = fs.readFileSync(path.join(dir, "README.md"), "utf8");
  const documented = [...readme.matchAll(/^\| `([A-Z_]+)`(?:, `([A-Z_]+)`)? \|/gm)].flatMap((m) =>
    m.slice(1).filter(Boolean),
  );
  expect(documented.sort()).toEqual(Object.values(ENV_NAMES).sort());
});

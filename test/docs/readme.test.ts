import fs from "node:fs";
import { describe, expect, test } from "vitest";
import { configSchema, ENV_NAMES } from "../../packages/server/src/config/schema.ts";

const readme = fs.readFileSync(new URL("../../README.md", import.meta.url), "utf8");
const configTable = readme.slice(readme.indexOf("## Configuration"), readme.indexOf("## Running on PostgreSQL"));

describe("README", () => {
  test("shows the two commands of the quick start", () => {
    expect(readme).toMatch(/```sh\nnpm start\n```/);
    expect(readme).toMatch(/```sh\nnpm test\n```/);
  });

  test.each(Object.entries(ENV_NAMES))("the configuration table documents %s (%s)", (_path, variable) => {
    expect(configTable).toContain(`| \`${variable}\` |`);
  });

  test("documents no variable that does not exist", () => {
    const documented = [...configTable.matchAll(/^\| `([A-Z_]+)` \|/gm)].map((m) => m[1]);
    expect(documented.sort()).toEqual(Object.values(ENV_NAMES).sort());
  });

  test("every setting of the schema has an environment variable", () => {
    const leaves = (shape: Record<string, unknown>, prefix = ""): string[] =>
      Object.entries(shape).flatMap(([key, value]) => {
        const inner = (value as { def?: { innerType?: { shape?: Record<string, unknown> } } }).def?.innerType?.shape;
        return inner ? leaves(inner, `${prefix}${key}.`) : [`${prefix}${key}`];
      });
    expect(leaves(configSchema.shape).sort()).toEqual(Object.keys(ENV_NAMES).sort());
  });
});

import fs from "node:fs";
import { describe, expect, test } from "vitest";

const ROOT = new URL("../../", import.meta.url);
const doc = fs.readFileSync(new URL("docs/security.md", ROOT), "utf8");
// [`path`](../path) › "test name"
const references = [...doc.matchAll(/\[`([^`]+)`\]\(\.\.\/([^)]+)\)(?: › "([^"\n]+)")?/g)].map(
  ([, label, href, name]) => ({ label: label!, href: href!, name }),
);

describe("docs/security.md", () => {
  test("names tests for every threat, or says why there is none", () => {
    const threats = doc.split(/^### /m).slice(1);
    expect(threats.length).toBeGreaterThanOrEqual(8);
    for (const section of threats) expect(section, section.split("\n")[0]).toMatch(/› "|\*\*Status\*\*/);
    expect(references.length).toBeGreaterThan(50);
  });

  test.each(references.map((r) => [r.label, r.name ?? "", r] as const))(
    "%s › %s exists",
    (_label, _name, { label, href, name }) => {
      expect(href).toBe(label);
      const file = new URL(href, ROOT);
      expect(fs.existsSync(file), href).toBe(true);
      if (name) {
        const source = fs.readFileSync(file, "utf8");
        // As the test's first argument, in either quote style.
        const quoted = [`"${name}"`, `'${name}'`, `\`${name}\``].some((q) => source.includes(q));
        expect(quoted, `${href} has no test named "${name}"`).toBe(true);
      }
    },
  );
});

import fs from "node:fs";
import { describe, expect, test } from "vitest";

// The colour pairs of the pages (static/style.css) against WCAG 2.2: text at least 4.5:1
// (success criterion 1.4.3, level AA), the focus outline and borders of controls at least 3:1
// against what surrounds them (1.4.11).

const css = fs.readFileSync(new URL("../../static/style.css", import.meta.url), "utf8");
const colours = Object.fromEntries(
  [...css.matchAll(/--([\w-]+):\s*(#[0-9a-f]{6})/gi)].map(([, name, hex]) => [name!, hex!]),
);

/** Relative luminance (WCAG 2.2, definition of relative luminance). */
function luminance(hex: string): number {
  const [r, g, b] = [1, 3, 5].map((i) => {
    const c = parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
}

const contrast = (a: string, b: string) => {
  const [light, dark] = [luminance(colours[a] ?? a), luminance(colours[b] ?? b)].sort((x, y) => y - x);
  return (light! + 0.05) / (dark! + 0.05);
};

describe("style.css colours", () => {
  test.each([
    ["ink", "paper"],
    ["ink", "wash"],
    ["muted", "paper"],
    ["muted", "wash"],
    ["brand", "paper"],
    ["brand", "wash"],
    ["brand-ink", "brand"],
    ["ok", "ok-wash"],
    ["warn", "warn-wash"],
    ["bad", "bad-wash"],
    ["bad", "paper"],
    ["#ffffff", "bad"],
  ])("text %s on %s: at least 4.5:1", (text, background) => {
    expect(contrast(text, background)).toBeGreaterThanOrEqual(4.5);
  });

  test.each([
    ["focus", "paper"],
    ["focus", "wash"],
    ["muted", "paper"],
  ])("outline %s against %s: at least 3:1", (outline, background) => {
    expect(contrast(outline, background)).toBeGreaterThanOrEqual(3);
  });
});

const SAFE = Symbol("vergewis.safe-html");

/** Markup that is safe to insert as is: built by `html` (which escapes) or marked with `trusted`. */
export interface SafeHtml {
  readonly [SAFE]: true;
  readonly value: string;
  toString(): string;
}

const safe = (value: string): SafeHtml => ({ [SAFE]: true, value, toString: () => value });

const isSafe = (value: unknown): value is SafeHtml =>
  typeof value === "object" && value !== null && (value as Partial<SafeHtml>)[SAFE] === true;

/** Escapes text for HTML content and double-quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function render(value: unknown): string {
  if (value === null || value === undefined || value === false) return "";
  if (isSafe(value)) return value.value;
  if (Array.isArray(value)) return value.map(render).join("");
  return escapeHtml(String(value));
}

/**
 * Tagged template for server-rendered pages: every interpolated value is escaped unless it is
 * itself SafeHtml, so that text from people (titles, names of platforms) can never become markup.
 * Arrays are concatenated; null, undefined and false render as nothing.
 */
export function html(strings: TemplateStringsArray, ...values: unknown[]): SafeHtml {
  let out = strings[0]!;
  values.forEach((value, i) => {
    out += render(value) + strings[i + 1]!;
  });
  return safe(out);
}

/** Marks a constant written in our code as markup. Never pass text that came from a request. */
export const trusted = (markup: string): SafeHtml => safe(markup);

/**
 * Data for a page's script as a JSON block: not executed (the CSP allows no inline script), and
 * `<` is escaped so that no value can end the element.
 */
export const jsonData = (id: string, value: unknown): SafeHtml =>
  html`<script type="application/json" id="${id}">${trusted(JSON.stringify(value).replaceAll("<", "\\u003c"))}</script>`;

import { z } from "zod";

/** Bidirectional embeddings, overrides and isolates: they reorder what is shown ("Trojan Source"). */
const BIDI_CONTROL = /[\u202a-\u202e\u2066-\u2069]/u;
/** Invisible characters with no use in a title, name or note: they make equal-looking texts differ. */
const INVISIBLE = /[\u200b\u2060-\u2064\ufeff]/u;
const JOINER = /[\u200c\u200d]/gu;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
/**
 * Scripts whose shaping the joiners control (cursive joining, conjuncts), so that ZWNJ and ZWJ
 * are part of correct spelling there (Persian "می‌خواهم", Hindi "क्‍ष"); Script_Extensions, so
 * that the scripts' combining marks count too.
 */
const JOINING_SCRIPT =
  /[\p{scx=Arabic}\p{scx=Syriac}\p{scx=Nko}\p{scx=Mongolian}\p{scx=Devanagari}\p{scx=Bengali}\p{scx=Gurmukhi}\p{scx=Gujarati}\p{scx=Oriya}\p{scx=Tamil}\p{scx=Telugu}\p{scx=Kannada}\p{scx=Malayalam}\p{scx=Sinhala}\p{scx=Myanmar}\p{scx=Khmer}\p{scx=Tibetan}]/u;
const EMOJI_BEFORE_ZWJ = /[\p{Extended_Pictographic}\p{Emoji_Modifier}\ufe0f]/u;
const EMOJI = /\p{Extended_Pictographic}/u;

const codePoint = (char: string) => `U+${char.codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0")}`;

/**
 * A joiner (ZWNJ U+200C, ZWJ U+200D) is legitimate between two letters of a script whose shaping
 * it controls, and ZWJ between the parts of an emoji sequence (👩‍💻, 🏳️‍🌈); anywhere else it
 * only hides a difference (between Latin letters, at an edge, beside a space).
 */
function strayJoiner(value: string): string | undefined {
  for (const match of value.matchAll(JOINER)) {
    const before = [...value.slice(0, match.index)].at(-1) ?? "";
    const after = [...value.slice(match.index + 1)][0] ?? "";
    const inWord = JOINING_SCRIPT.test(before) && JOINING_SCRIPT.test(after);
    const inEmoji = match[0] === "\u200d" && EMOJI_BEFORE_ZWJ.test(before) && EMOJI.test(after);
    if (!inWord && !inEmoji) return match[0];
  }
  return undefined;
}

/**
 * Free text from people (titles, descriptions, notes, names, statements of reasons): trimmed,
 * bounded, and only what can be stored and shown as written.
 * - No NUL (PostgreSQL cannot store it in text or JSON) and no lone surrogates (not Unicode).
 * - No other C0 or C1 control character but tab, line feed and carriage return.
 * - No bidirectional embedding, override or isolate (U+202A–U+202E, U+2066–U+2069): they make a
 *   title display in another order than it reads. The marks U+200E, U+200F and U+061C stay
 *   allowed: they cannot reorder letters, and mixed right-to-left titles need them.
 * - No invisible character (U+200B, U+2060–U+2064, U+FEFF), and the joiners U+200C and U+200D
 *   only where they shape the text (see `strayJoiner`): otherwise two titles that look the same
 *   could differ.
 */
export const text = (min: number, max: number) =>
  z
    .string()
    .trim()
    .min(min)
    .max(max)
    .superRefine((value, ctx) => {
      const fail = (message: string) => ctx.addIssue({ code: "custom", message });
      if (value.includes("\u0000")) return fail("must not contain NUL characters");
      if (LONE_SURROGATE.test(value)) return fail("must be well-formed Unicode (no lone surrogates)");
      const control = /[\p{Cc}]/u.exec(value.replace(/[\t\n\r]/g, ""))?.[0];
      if (control) return fail(`must not contain the control character ${codePoint(control)}`);
      const bidi = BIDI_CONTROL.exec(value)?.[0];
      if (bidi) return fail(`must not contain the bidirectional control character ${codePoint(bidi)}`);
      const invisible = INVISIBLE.exec(value)?.[0];
      if (invisible) return fail(`must not contain the invisible character ${codePoint(invisible)}`);
      const joiner = strayJoiner(value);
      if (joiner) return fail(`must not contain ${codePoint(joiner)} outside a word or an emoji sequence`);
    });

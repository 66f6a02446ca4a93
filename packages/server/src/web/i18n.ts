import type { Request, Response } from "express";
import { readCookie } from "./cookies.ts";

export const LOCALES = ["nl", "en"] as const;
export type Locale = (typeof LOCALES)[number];

const COOKIE = "lang";
const isLocale = (value: unknown): value is Locale => LOCALES.includes(value as Locale);

/**
 * The page language: an explicit `?lang=` choice (remembered in a cookie), else the remembered
 * choice, else the first of Dutch or English in Accept-Language, else English.
 */
export function negotiateLocale(req: Request, res: Response): Locale {
  const asked = req.query.lang;
  if (isLocale(asked)) {
    res.cookie(COOKIE, asked, { maxAge: 365 * 86_400_000, sameSite: "lax", httpOnly: true, path: "/" });
    return asked;
  }
  const remembered = readCookie(req, COOKIE);
  if (isLocale(remembered)) return remembered;
  return preferredLocale(req.headers["accept-language"]) ?? "en";
}

/** The first of Dutch or English in an Accept-Language header, by weight; undefined when neither is there. */
export function preferredLocale(acceptLanguage: string | undefined): Locale | undefined {
  const preferred = (acceptLanguage ?? "")
    .split(",")
    .map((part) => {
      const [tag = "", ...params] = part.trim().split(";");
      const q = Number(
        params
          .find((p) => p.trim().startsWith("q="))
          ?.trim()
          .slice(2) ?? 1,
      );
      return { lang: tag.toLowerCase().split("-")[0], q: Number.isFinite(q) ? q : 0 };
    })
    .filter((entry) => entry.q > 0)
    .sort((a, b) => b.q - a.q)
    .find((entry) => isLocale(entry.lang));
  return preferred?.lang as Locale | undefined;
}

type Params = Record<string, string | number>;

/**
 * A translator over one catalogue per language. The English catalogue defines the keys; the Dutch
 * one must have exactly the same (checked by the type). `{name}` placeholders take parameters.
 */
export function catalogue<K extends string>(messages: { en: Record<K, string>; nl: Record<K, string> }) {
  return (locale: Locale) =>
    (key: K, params: Params = {}): string =>
      messages[locale][key].replace(/\{(\w+)\}/g, (whole, name: string) =>
        Object.hasOwn(params, name) ? String(params[name]) : whole,
      );
}

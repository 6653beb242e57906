import type { MockSettings } from "@anh-moe/protocol";
import type { Request, Response } from "express";
import { type Language, pickLanguage } from "../upload/language.js";
import { PAGE_TEXT } from "./page-text.js";

/** The cookie that remembers the language chosen with the page's switch. */
const LANGUAGE_COOKIE = "lang";

const isLanguage = (value: unknown): value is Language => typeof value === "string" && Object.hasOwn(PAGE_TEXT, value);

/** The value of one cookie of a request, or undefined (no cookie-parser: the pages read only this one). */
function cookieValue(req: Request, name: string): string | undefined {
  for (const part of (req.get("cookie") ?? "").split(";")) {
    const at = part.indexOf("=");
    if (at !== -1 && part.slice(0, at).trim() === name) return part.slice(at + 1).trim();
  }
  return undefined;
}

/**
 * The language of a page: `?lang=<en|fr|vi>` (the visible switch; remembered in a cookie for the next pages), else
 * the cookie, else `Accept-Language` as the API's answers read it ({@link pickLanguage}), else the site's default.
 *
 * @example
 * const language = resolvePageLanguage(req, res, ctx.settings); // "fr" for "?lang=fr"
 */
export function resolvePageLanguage(
  req: Request,
  res: Response,
  settings: Pick<MockSettings, "autoLanguage" | "defaultLanguage">,
): Language {
  const asked = req.query.lang;
  if (isLanguage(asked)) {
    res.append("Set-Cookie", `${LANGUAGE_COOKIE}=${asked}; Path=/; SameSite=Lax; Max-Age=31536000`);
    return asked;
  }
  const remembered = cookieValue(req, LANGUAGE_COOKIE);
  if (isLanguage(remembered)) return remembered;
  return pickLanguage(req.get("accept-language"), settings);
}

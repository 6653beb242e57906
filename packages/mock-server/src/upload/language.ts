import type { MockSettings } from "@anh-moe/protocol";

/** Languages the mock speaks: labels in answers and the text of its pages. */
export type Language = MockSettings["defaultLanguage"];

/** The translated labels of the `image` object (`views_label`, `likes_label`, `how_long_ago`). */
export interface AnswerLabels {
  readonly views: string;
  readonly likes: string;
  readonly momentsAgo: string;
}

/**
 * Labels per language. Vietnamese comes from a recorded anh.moe answer (clients.md §2.5); English is Chevereto's
 * source text; French follows Chevereto's French locale. Only these labels are translated: the real server's
 * Vietnamese texts of the translatable error messages are not on record, so errors stay in English.
 */
export const ANSWER_LABELS: Readonly<Record<Language, AnswerLabels>> = {
  en: { views: "views", likes: "likes", momentsAgo: "moments ago" },
  vi: { views: "lượt xem", likes: "thích", momentsAgo: "mới đây" },
  fr: { views: "vues", likes: "j'aime", momentsAgo: "à l'instant" },
};

const SUPPORTED = new Set<string>(Object.keys(ANSWER_LABELS));

/**
 * The language of an answer: with `autoLanguage` on and an `Accept-Language` header, its most preferred supported
 * language (by q-value, then order); otherwise the site's default language.
 *
 * @example
 * pickLanguage("fr-FR,fr;q=0.9,en;q=0.8", settings); // "fr"
 * pickLanguage(undefined, settings); // settings.defaultLanguage
 */
export function pickLanguage(
  acceptLanguage: string | undefined,
  settings: Pick<MockSettings, "autoLanguage" | "defaultLanguage">,
): Language {
  if (!settings.autoLanguage || !acceptLanguage) return settings.defaultLanguage;
  const candidates = acceptLanguage
    .split(",")
    .map((part, index) => {
      const [tag = "", ...params] = part.trim().split(";");
      const q = params.map((p) => p.trim()).find((p) => p.startsWith("q="));
      const weight = q === undefined ? 1 : Number.parseFloat(q.slice(2));
      return { lang: tag.trim().toLowerCase().split("-")[0] ?? "", weight: Number.isNaN(weight) ? 0 : weight, index };
    })
    .filter((c) => c.weight > 0 && SUPPORTED.has(c.lang))
    .sort((a, b) => b.weight - a.weight || a.index - b.index);
  return (candidates[0]?.lang as Language | undefined) ?? settings.defaultLanguage;
}

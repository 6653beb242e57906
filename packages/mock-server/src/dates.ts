// Building an Intl.DateTimeFormat costs ~0.3 ms (ICU data); every answer formats several dates: one per zone.
const sqlDateFormats = new Map<string, Intl.DateTimeFormat>();

function sqlDateFormat(timeZone: string): Intl.DateTimeFormat {
  let format = sqlDateFormats.get(timeZone);
  if (format === undefined) {
    format = new Intl.DateTimeFormat("en-CA", {
      timeZone,
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
      hourCycle: "h23",
    });
    sqlDateFormats.set(timeZone, format);
  }
  return format;
}

/**
 * Formats an instant as Chevereto's database dates (`YYYY-MM-DD HH:MM:SS`) in a timezone: `date` uses the site's
 * `default_timezone`, `date_gmt` and `expiration_date_gmt` use UTC.
 *
 * @example
 * sqlDate(new Date("2025-01-02T03:11:12Z"), "Asia/Ho_Chi_Minh"); // "2025-01-02 10:11:12"
 */
export function sqlDate(instant: Date, timeZone = "UTC"): string {
  const second = Math.floor(instant.getTime() / 1000);
  if (timeZone === "UTC" && Number.isFinite(second)) {
    // Plain arithmetic: toISOString is "YYYY-MM-DDTHH:MM:SS.sssZ" for years 0–9999.
    const iso = instant.toISOString();
    if (iso.length === 24) return `${iso.slice(0, 10)} ${iso.slice(11, 19)}`;
  }
  // Every answer formats the same second several times (date, urls, pages): formatToParts is ~20 µs a call.
  const last = lastFormatted.get(timeZone);
  if (last !== undefined && last.second === second) return last.text;
  const parts = sqlDateFormat(timeZone).formatToParts(instant);
  const get = (type: Intl.DateTimeFormatPartTypes) => parts.find((part) => part.type === type)?.value ?? "00";
  const text = `${get("year")}-${get("month")}-${get("day")} ${get("hour")}:${get("minute")}:${get("second")}`;
  if (Number.isFinite(second)) lastFormatted.set(timeZone, { second, text });
  return text;
}

/** The last second formatted in each timezone, and its text. */
const lastFormatted = new Map<string, { readonly second: number; readonly text: string }>();

/** PHP's `gmdate('D, d M Y H:i:s') . 'GMT'`, as Chevereto writes `Last-Modified` on API answers (no space). */
export function phpLastModified(instant: Date): string {
  return instant.toUTCString().replace(/ GMT$/, "GMT");
}

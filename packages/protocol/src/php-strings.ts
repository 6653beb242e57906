const HTML_SPECIAL: Readonly<Record<string, string>> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#039;",
};

/**
 * PHP `htmlspecialchars($text, ENT_QUOTES, 'UTF-8')` (double encoding on): `& < > " '` become
 * `&amp; &lt; &gt; &quot; &#039;`. Used for `title_truncated_html`.
 *
 * @example
 * phpHtmlSpecialChars(`Tom & "Jerry's" <b>`); // "Tom &amp; &quot;Jerry&#039;s&quot; &lt;b&gt;"
 */
export function phpHtmlSpecialChars(text: string): string {
  // Hand-written rather than escape-html & co.: those write `&#39;` for the apostrophe, PHP writes `&#039;`,
  // and the JSON output must match byte for byte.
  return text.replace(/[&<>"']/g, (char) => HTML_SPECIAL[char] ?? char);
}

/**
 * PHP `rawurlencode` (RFC 3986): every byte of the UTF-8 encoding except `A-Z a-z 0-9 - _ . ~` becomes `%XX`
 * (uppercase hex). `encodeURIComponent` additionally leaves `! ' ( ) *` alone, so it is patched here.
 *
 * @example
 * phpRawUrlEncode("café (1)"); // "caf%C3%A9%20%281%29"
 */
export function phpRawUrlEncode(text: string): string {
  return Buffer.from(text, "utf8").reduce((out, byte) => {
    const char = String.fromCharCode(byte);
    return out + (/[A-Za-z0-9\-_.~]/.test(char) ? char : `%${byte.toString(16).toUpperCase().padStart(2, "0")}`);
  }, "");
}

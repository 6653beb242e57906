// Answers of the real server written down byte for byte, for the php-json checks. They are the independent oracle
// the mock (or any server) is graded against: nothing here is produced by the protocol's encoder or key list.

/**
 * The exact bytes of the error answer to an unknown key in `format=json`, as server-behaviour.md §4.6 quotes it
 * (`json_error` + `json_document_output`; the same answer as the protocol's `synthesized-4.2-error-invalid-key.json`
 * fixture, there re-laid out by the formatter).
 */
export const INVALID_KEY_ERROR_BYTES =
  '{"status_code":400,"error":{"message":"Invalid API key.","code":100},"status_txt":"Bad Request"}';

/**
 * The success messages a conformant server may send: `file uploaded` (≥ 4.1.0) and `image uploaded` (≤ 4.0.12,
 * the recorded anh.moe answer of Feb 2024) — server-behaviour.md §4.1, decisions.md §1.
 */
export const SUCCESS_MESSAGES = ["file uploaded", "image uploaded"] as const;

/**
 * The byte template of the answer to the conformance suite's 600×400 PNG (`conformance-sample.png`, no other field,
 * the guest key), `format=json`, on anh.moe. Holes (`<id>`, `<int>`…, see `TEMPLATE_HOLES`) stand for what changes
 * from one upload to the next; everything else is literal, byte for byte.
 *
 * Sources: the synthesized 4.2.0 answer and the field table of server-behaviour.md §4.2 (key order, types: `ratio`
 * 1.5 as a float, `display_width` the string `"500"` next to the int `display_height` 333, the null `source_md5`,
 * `[]` tags), §4.1 (envelope, `\/` escapes, no spaces), §2.2 (default title from the filename: `conformance sample`),
 * §5.2 (a medium 500 wide, chain 7), §5.5–§5.7 (URLs); decisions.md §1 for anh.moe's settings (`direct` storage,
 * name = `id_encoded`, external storage so `file.resource.type` is `url`, viewer route `view`, files under `/c/`).
 * Labels (`views_label`, `likes_label`, `how_long_ago`) depend on the language and are holes.
 */
export function wideUploadTemplate(message: (typeof SUCCESS_MESSAGES)[number]): string {
  const file = (suffix: string) =>
    `{"filename":"<id>${suffix}.png","name":"<id>${suffix}","mime":"image\\/png","extension":"png","url":"<origin>\\/c\\/<id>${suffix}.png","size":<int>}`;
  return [
    `{"status_code":200,"success":{"message":"${message}","code":200},"image":{`,
    '"name":"<id>","extension":"png","size":<int>,"width":600,"height":400,',
    '"date":"<datetime>","date_gmt":"<datetime>","title":"conformance sample","description":null,"nsfw":0,',
    '"storage_mode":"direct","md5":"<md5>","source_md5":null,"original_filename":"conformance-sample.png",',
    '"original_exifdata":null,"views":0,"category_id":null,"chain":7,"thumb_size":<int>,"medium_size":<int>,',
    '"frame_size":0,"expiration_date_gmt":null,"likes":0,"is_animated":0,"is_approved":1,"is_360":0,',
    '"duration":0,"type":"image","tags":[],"tags_string":"","file":{"resource":{"type":"url"}},',
    '"id_encoded":"<id>","filename":"<id>.png","mime":"image\\/png","url":"<origin>\\/c\\/<id>.png",',
    '"ratio":1.5,"size_formatted":"<text>",',
    `"image":${file("")},"medium":${file(".md")},"thumb":${file(".th")},`,
    '"url_frame":"","duration_time":"",',
    '"url_viewer":"<origin>\\/view\\/conformance-sample.<id>","path_viewer":"\\/view\\/conformance-sample.<id>",',
    '"url_short":"<origin>\\/view\\/<id>","display_url":"<origin>\\/c\\/<id>.md.png",',
    '"display_width":"500","display_height":333,',
    '"views_label":"<text>","likes_label":"<text>","how_long_ago":"<text>","date_fixed_peer":"<datetime>",',
    '"title_truncated":"conformance sample","title_truncated_html":"conformance sample","is_use_loader":false,',
    '"display_title":"conformance sample","delete_url":"<origin>\\/view\\/<id>\\/delete\\/<hex48>"},',
    '"status_txt":"OK"}',
  ].join("");
}

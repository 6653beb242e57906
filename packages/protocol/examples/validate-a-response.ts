// Validate what an upload answered, the way a client should: tolerant of extra fields, strict on the ones it uses.
import assert from "node:assert/strict";
import { errorEnvelopeSchema, imageObjectClientSchema, uploadSuccessSchema } from "@anh-moe/protocol";

const body = JSON.parse(
  '{"status_code":200,"success":{"message":"file uploaded","code":200},"image":{"name":"AbC12","extension":"png","size":91,"width":1,"height":1,"date":"2025-01-02 10:11:12","date_gmt":"2025-01-02 03:11:12","title":"cat","description":null,"nsfw":0,"storage_mode":"direct","md5":"0123456789abcdef0123456789abcdef","source_md5":null,"original_filename":"cat.png","original_exifdata":null,"views":0,"category_id":null,"chain":5,"thumb_size":120,"medium_size":0,"expiration_date_gmt":null,"likes":0,"is_animated":0,"is_approved":1,"is_360":0,"duration":0,"type":"image","file":{"resource":{"type":"url"}},"id_encoded":"AbC12","filename":"AbC12.png","mime":"image\\/png","url":"https:\\/\\/cdn.anh.moe\\/c\\/AbC12.png","ratio":1,"size_formatted":"91 B","image":{"filename":"AbC12.png","name":"AbC12","mime":"image\\/png","extension":"png","url":"https:\\/\\/cdn.anh.moe\\/c\\/AbC12.png","size":91},"thumb":{"filename":"AbC12.th.png","name":"AbC12.th","mime":"image\\/png","extension":"png","url":"https:\\/\\/cdn.anh.moe\\/c\\/AbC12.th.png","size":120},"url_viewer":"https:\\/\\/anh.moe\\/view\\/cat.AbC12","path_viewer":"\\/view\\/cat.AbC12","url_short":"https:\\/\\/anh.moe\\/view\\/AbC12","display_url":"https:\\/\\/cdn.anh.moe\\/c\\/AbC12.png","display_width":1,"display_height":1,"views_label":"views","likes_label":"likes","how_long_ago":"moments ago","date_fixed_peer":"2025-01-02 03:11:12","title_truncated":"cat","title_truncated_html":"cat","is_use_loader":false,"delete_url":"https:\\/\\/anh.moe\\/view\\/AbC12\\/delete\\/0123456789abcdef0123456789abcdef0123456789abcdef"},"status_txt":"OK"}',
);

const answer = uploadSuccessSchema.parse(body); // the whole envelope, tolerant reader
const image = imageObjectClientSchema.parse(answer.image); // the fields clients rely on, exact types
assert.equal(image.url, "https://cdn.anh.moe/c/AbC12.png");
assert.equal(image.size, 91);

// An error answer (HTTP 400) has its own envelope.
const error = errorEnvelopeSchema.parse({
  status_code: 400,
  error: { message: "Invalid API key.", code: 100 },
  status_txt: "Bad Request",
});
assert.equal(error.error.code, 100);
console.log(`uploaded ${image.url} (${image.size_formatted})`);

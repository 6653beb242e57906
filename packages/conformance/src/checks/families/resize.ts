import { createHash } from "node:crypto";
import { SAMPLES } from "../../images/samples.js";
import { type Check, defineCheck } from "../check.js";
import { expectCatalogueError, expectJsonSuccess } from "../expectations.js";
import { expectServedFile } from "./binary.js";

/** The `width` parameter (server-behaviour.md §2.3). */
export const RESIZE_CHECKS: readonly Check[] = [
  defineCheck({
    id: "resize.width",
    family: "resize",
    description:
      "width=300 on a 600×400 PNG stores 300×200: width/height/size describe the result, source_md5 is the upload's md5, and the served file is 300×200.",
    rule: "width resizes proportionally; source_md5 = md5 before, md5 = md5 after (§2.3)",
    async run(context) {
      const sample = SAMPLES.wide();
      const exchange = await context.upload({ source: { kind: "file", sample }, fields: { width: "300" } });
      const image = expectJsonSuccess(context, exchange);
      if (!image) return;
      context.expectEqual("width × height", [300, 200], [image.width, image.height], exchange);
      context.expectEqual(
        "source_md5 = md5 of the upload",
        createHash("md5").update(sample.data).digest("hex"),
        image.source_md5,
        exchange,
      );
      context.expectThat(
        image.md5 !== image.source_md5,
        "md5",
        "the md5 of the resized file (≠ source_md5)",
        image.md5,
        exchange,
      );
      await expectServedFile(context, {
        what: "image.url (resized)",
        url: image.url,
        mime: image.mime,
        size: image.size,
        md5: image.md5,
        width: 300,
        height: 200,
      });
    },
  }),
  defineCheck({
    id: "resize.same-width",
    family: "resize",
    description: "width equal to the image's width is no resize: source_md5 stays null.",
    rule: "resize only when width ≠ the stored width (§2.3)",
    async run(context) {
      const exchange = await context.upload({
        source: { kind: "file", sample: SAMPLES.wide() },
        fields: { width: "600" },
      });
      const image = expectJsonSuccess(context, exchange);
      if (image) context.expectEqual("source_md5", null, image.source_md5, exchange);
    },
  }),
  defineCheck({
    id: "resize.upscale-refused",
    family: "resize",
    description: "width=700 on a 600-wide image → `Target width is greater than the original image width`, code 610.",
    rule: "no upscaling: width > original → error 610 (§2.3)",
    async run(context) {
      const exchange = await context.upload({
        source: { kind: "file", sample: SAMPLES.wide() },
        fields: { width: "700" },
      });
      expectCatalogueError(context, exchange, "target_width_too_big");
    },
  }),
];

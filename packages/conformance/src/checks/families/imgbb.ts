import { imgbbSuccessSchema, imgbbSuccessV42Schema } from "@anh-moe/protocol";
import { SAMPLES } from "../../images/samples.js";
import { type Check, defineCheck } from "../check.js";
import { expectJsonSuccess } from "../expectations.js";
import { expectOpenApi, expectZod } from "./schema.js";

/** Chevereto's ImgBB-compatible variant (server-behaviour.md §4.5). */
export const IMGBB_CHECKS: readonly Check[] = [
  defineCheck({
    id: "imgbb.shape",
    family: "imgbb",
    description:
      "A base64 `image` field answers status_code, status 200, success, data (with id = id_encoded, last), status_txt — in that order.",
    rule: "a field named image switches to the ImgBB shape: data instead of image, status: 200, data.id appended (§4.5)",
    async run(context) {
      const exchange = await context.upload({
        source: { kind: "base64", text: SAMPLES.small().data.toString("base64"), field: "image" },
        transport: "urlencoded",
      });
      const data = expectJsonSuccess(context, exchange, "data");
      const body = context.json(exchange);
      if (!data || !body) return;
      context.expectEqual(
        "top-level keys",
        ["status_code", "status", "success", "data", "status_txt"],
        Object.keys(body),
        exchange,
      );
      context.expectEqual("status", 200, body.status, exchange);
      context.expectEqual("data.id = data.id_encoded", data.id_encoded, data.id, exchange);
      context.expectEqual("last key of data", "id", Object.keys(data).at(-1), exchange);
    },
  }),
  defineCheck({
    id: "imgbb.schema",
    family: "imgbb",
    description: "The ImgBB-shaped answer passes imgbbSuccessSchema, imgbbSuccessV42Schema and docs/openapi.json.",
    rule: "ImgbbUploadSuccess schema, both views (§4.5)",
    async run(context) {
      const exchange = await context.upload({
        source: { kind: "base64", text: SAMPLES.wide().data.toString("base64"), field: "image" },
        transport: "multipart",
      });
      const body = context.json(exchange);
      if (!body) return;
      expectZod(context, exchange, "imgbbSuccessSchema", imgbbSuccessSchema, body);
      expectZod(context, exchange, "imgbbSuccessV42Schema", imgbbSuccessV42Schema, body);
      expectOpenApi(context, exchange);
    },
  }),
];

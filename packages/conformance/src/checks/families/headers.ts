import { SAMPLES } from "../../images/samples.js";
import { type Check, defineCheck } from "../check.js";

/** Response headers (server-behaviour.md §4.1, §4.4). */
export const HEADER_CHECKS: readonly Check[] = [
  defineCheck({
    id: "headers.redirect-location",
    family: "headers",
    description:
      "A redirect's Location is the relative path_viewer (`/<route>/<seo>.<id>`), in the same route as a json upload's path_viewer, and it resolves.",
    rule: "format=redirect → Location: <path_viewer>, relative (V4; V3 sent the absolute url_viewer) (§4.4)",
    async run(context) {
      const json = await context.upload({ source: { kind: "file", sample: SAMPLES.small() } });
      const image = context.json(json)?.image as { path_viewer?: unknown } | undefined;
      const exchange = await context.upload({
        source: { kind: "file", sample: SAMPLES.small() },
        fields: { format: "redirect" },
      });
      const location = exchange.response.headers.location;
      if (location === undefined) {
        context.expectThat(false, "Location header", "present", location, exchange);
        return;
      }
      context.expectThat(
        /^\/[^/]/.test(location),
        "Location",
        "a relative path such as /view/<seo>.<id>",
        location,
        exchange,
      );
      const route = (path: string) => path.slice(0, path.lastIndexOf("/") + 1);
      if (typeof image?.path_viewer === "string") {
        context.expectEqual(
          "Location route (same as path_viewer's)",
          route(image.path_viewer),
          route(location),
          exchange,
        );
      }
      if (!location.startsWith("/")) return;
      const viewer = await context.fetchUrl(new URL(location, context.target.baseUrl).href);
      context.expectEqual("GET Location: status", 200, viewer.response.status, viewer);
    },
  }),
  defineCheck({
    id: "headers.no-cache",
    family: "headers",
    description: "API answers carry `Cache-Control: no-store, no-cache, must-revalidate`.",
    rule: "json_document_output sends no-cache headers (§4.1)",
    async run(context) {
      const exchange = await context.upload({ source: { kind: "file", sample: SAMPLES.small() } });
      const value = exchange.response.headers["cache-control"] ?? "";
      context.expectThat(
        /no-store/.test(value) && /no-cache/.test(value),
        "Cache-Control",
        "no-store, no-cache, must-revalidate",
        value,
        exchange,
      );
    },
  }),
];

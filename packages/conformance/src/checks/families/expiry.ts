import { SAMPLES } from "../../images/samples.js";
import { advanceClock, resetClock } from "../../target/control-plane.js";
import { type Check, defineCheck } from "../check.js";
import { expectJsonSuccess } from "../expectations.js";

/** How long the slow live check waits for the site's cron to delete an expired image. */
const LIVE_EXPIRY_WAIT_MS = 20 * 60_000;

/** Expiry: an expired image stops being served (server-behaviour.md §2.4). */
export const EXPIRY_CHECKS: readonly Check[] = [
  defineCheck({
    id: "expiry.clock",
    family: "expiry",
    description:
      "An upload with expiration=PT5M is served, and is gone (404) for file and viewer once the mock's clock is 6 minutes later.",
    rule: "expired images are deleted: files and viewer stop resolving (§2.4)",
    requires: { controlPlane: true },
    async run(context) {
      const exchange = await context.upload({
        source: { kind: "file", sample: SAMPLES.small() },
        fields: { expiration: "PT5M" },
      });
      const image = expectJsonSuccess(context, exchange);
      if (!image || typeof image.url !== "string" || typeof image.url_viewer !== "string") return;
      const before = await context.fetchUrl(image.url);
      context.expectEqual("GET url before expiry", 200, before.response.status, before);
      try {
        await advanceClock(context.target, "PT6M");
        const file = await context.fetchUrl(image.url);
        context.expectEqual("GET url after expiry", 404, file.response.status, file);
        const viewer = await context.fetchUrl(image.url_viewer);
        context.expectEqual("GET url_viewer after expiry", 404, viewer.response.status, viewer);
      } finally {
        await resetClock(context.target);
      }
    },
  }),
  defineCheck({
    id: "expiry.live-slow",
    family: "expiry",
    description:
      "Live, opt-in: an upload with expiration=PT5M stops being served within 20 minutes (the site deletes on its cron run).",
    rule: "expired images are deleted by the cron job after expiry (§2.4)",
    requires: { slowLive: true },
    async run(context) {
      const exchange = await context.upload({ source: { kind: "file", sample: SAMPLES.small() } });
      const image = expectJsonSuccess(context, exchange);
      if (!image || typeof image.url !== "string") return;
      const deadline = Date.now() + LIVE_EXPIRY_WAIT_MS;
      let status = 200;
      while (status === 200 && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 30_000));
        status = (await context.fetchUrl(image.url)).response.status;
      }
      context.expectThat(
        status === 404 || status === 410,
        "GET url after expiry",
        "404 (or 410) within 20 minutes",
        status,
        context.exchanges.at(-1),
      );
    },
  }),
];

import { type MockSettings, seoSlug } from "@anh-moe/protocol";
import { sqlDate } from "./dates.js";
import { type FileRole, type ImageRecord, servedFileName } from "./store/record.js";

/** The URLs of one record, as answers and pages write them. */
export interface UrlBuilder {
  /** The site root: the mock's origin (`mock-origin` mode) or `siteUrl` (`absolute` mode), without a trailing `/`. */
  site(): string;
  /** Path of a stored file under the mock's origin, e.g. `/c/AbC.th.png` (always served by the mock). */
  filePath(record: ImageRecord, role: FileRole): string;
  /** Absolute URL of a stored file (`url`, `thumb.url`, `medium.url`). */
  file(record: ImageRecord, role: FileRole): string;
  /** `path_viewer`: `/<route>/<seo>.<id>` or `/<route>/<id>`. */
  viewerPath(record: ImageRecord): string;
  /** `url_viewer`. */
  viewer(record: ImageRecord): string;
  /** `url_short`: the viewer URL without the slug. */
  short(record: ImageRecord): string;
  /** `delete_url` for a delete password. */
  delete(record: ImageRecord, password: string): string;
  /** The viewer route segment of a record (`route_image`, or `route_video` for videos). */
  route(record: ImageRecord): string;
}

/** The `YYYY/MM/DD/` folder of `datefolder` storage: the upload date in the site's timezone. */
function dateFolder(record: ImageRecord, timezone: string): string {
  return `${sqlDate(new Date(record.dateGmt), timezone).slice(0, 10).replaceAll("-", "/")}/`;
}

/**
 * Builds a record's URLs from the site settings (Chevereto `Image::getSrcTargetSingle`, `getUrlViewer`,
 * server-behaviour.md §5.5–5.7). `origin` is read on every call because a mock listening on port 0 learns its
 * origin only once it listens.
 *
 * @example
 * const urls = createUrlBuilder(settings, () => "http://127.0.0.1:3000");
 * urls.file(record, "thumb"); // "http://127.0.0.1:3000/c/AbC.th.png"
 */
export function createUrlBuilder(settings: MockSettings, origin: () => string): UrlBuilder {
  const absolute = settings.urlMode === "absolute";
  const site = () => (absolute ? settings.siteUrl.replace(/\/+$/, "") : origin());
  const relativeFile = (record: ImageRecord, role: FileRole) =>
    `${settings.storageMode === "datefolder" ? dateFolder(record, settings.timezone) : ""}${servedFileName(record, role)}`;
  const route = (record: ImageRecord) => (record.type === "video" ? settings.routeVideo : settings.routeImage);
  const shortPath = (record: ImageRecord) => `/${route(record)}/${record.idEncoded}`;
  const viewerPath = (record: ImageRecord) => {
    const slug = settings.seoImageUrls && record.title !== null ? seoSlug(record.title) : "";
    return slug === "" ? shortPath(record) : `/${route(record)}/${slug}.${record.idEncoded}`;
  };
  return {
    site,
    route,
    filePath: (record, role) => `${settings.filePath}${relativeFile(record, role)}`,
    file: (record, role) =>
      absolute
        ? `${settings.fileUrlBase}${relativeFile(record, role)}`
        : `${origin()}${settings.filePath}${relativeFile(record, role)}`,
    viewerPath,
    viewer: (record) => `${site()}${viewerPath(record)}`,
    short: (record) => `${site()}${shortPath(record)}`,
    delete: (record, password) => `${site()}${shortPath(record)}/delete/${password}`,
  };
}

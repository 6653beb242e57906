/** What a program needs to run the scenario against a server. */
export interface ScenarioTarget {
  /** Origin of the server, e.g. `http://127.0.0.1:41234`. */
  readonly baseUrl: string;
  /** A key the server accepts (the guest key on anh.moe). */
  readonly key: string;
  /** A key the server refuses. */
  readonly wrongKey: string;
  /** The file to upload as a multipart file part; its name must reach the server. */
  readonly file: File;
  /** Title sent with the file. */
  readonly title: string;
  /** Expiration sent with the file: a code of the expiration table, e.g. `P1D`. */
  readonly expiration: string;
  /** An image as base64 text (a `source` text field). */
  readonly base64: string;
  /** Another image as base64 text, sent as the ImgBB-style `image` field (the answer takes the ImgBB shape). */
  readonly imgbbBase64: string;
}

/** The parts of a success answer the scenario reads, whichever of the two success shapes it came in. */
export interface UploadedImage {
  /** `UploadSuccess` (`image`) or `ImgbbUploadSuccess` (`data`), as the program narrowed it. */
  readonly shape: "image" | "data";
  readonly status: number;
  readonly url: string;
  readonly idEncoded: string;
  readonly title: string | null;
  readonly originalFilename: string;
  readonly dateGmt: string;
  readonly expirationDateGmt: string | null;
}

/** The typed error the scenario reads. */
export interface UploadError {
  readonly status: number;
  readonly code: number | string;
  readonly message: string;
}

/** What a program reports: one entry per step of the scenario. */
export interface ScenarioReport {
  /** A file part with a filename, title, expiration and `format=json`, to `/api/1/upload` (key in the header). */
  readonly file: UploadedImage;
  /** A base64 `source`, to `/api/1/upload/?key=…&format=json` (key in the query string). */
  readonly base64: UploadedImage;
  /** A base64 `image` field (the ImgBB alias), to `/api/1/upload`. */
  readonly imgbb: UploadedImage;
  /** The file again with a wrong key. */
  readonly wrongKey: UploadError;
}

/** The fields of an image object (`image` or `data`) the scenario reads. */
export interface ImageFields {
  readonly url: string;
  readonly id_encoded: string;
  readonly title: string | null;
  readonly original_filename: string;
  readonly date_gmt: string;
  readonly expiration_date_gmt: string | null;
}

/**
 * Keeps what the scenario reads of an image object. The program narrows the generated success union itself
 * (`"image" in answer`), so that the narrowing is checked against each generator's own types.
 *
 * @example
 * uploaded(200, "image", answer.image).url;
 */
export function uploaded(status: number, shape: UploadedImage["shape"], image: ImageFields): UploadedImage {
  return {
    shape,
    status,
    url: image.url,
    idEncoded: image.id_encoded,
    title: image.title,
    originalFilename: image.original_filename,
    dateGmt: image.date_gmt,
    expirationDateGmt: image.expiration_date_gmt,
  };
}

import { describe, expect, it } from "vitest";
import { type AnswerContext, parseRetryAfter, readUploadAnswer } from "./answer.js";
import { ApiError, ProtocolError } from "./errors.js";
import type { Answer } from "./transport.js";

const context: AnswerContext = {
  request: { method: "POST", url: "https://anh.moe/api/1/upload" },
  attempts: 1,
  uploadPath: "/api/1/upload",
};

function answer(
  status: number,
  body: string,
  headers: Record<string, string> = {},
  extra: Partial<Answer> = {},
): Answer {
  return { status, body, headers: new Headers(headers), url: context.request.url, redirected: false, ...extra };
}

function thrown(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error("expected a throw");
}

describe("readUploadAnswer", () => {
  it("txt: a URL, trailing whitespace tolerated", () => {
    expect(readUploadAnswer("txt", answer(200, "https://cdn.anh.moe/c/AbC12.png\n"), context)).toMatchObject({
      format: "txt",
      url: "https://cdn.anh.moe/c/AbC12.png",
    });
  });

  it.each([
    ["Duplicated upload", "duplicated_upload", 101],
    ["Empty upload source", "empty_upload_source", 130],
    ["File too big - max 20 MB", "file_too_big", 400],
    ["Invalid API action.", "invalid_api_action", 120],
  ])("txt and redirect: the plain-text error %j with HTTP 200 is an ApiError", (text, id, code) => {
    for (const format of ["txt", "redirect"] as const) {
      const error = thrown(() => readUploadAnswer(format, answer(200, text), context));
      expect(error).toBeInstanceOf(ApiError);
      expect(error).toMatchObject({ id, code, status: 200, serverMessage: text });
    }
  });

  it("txt: text that is neither a URL nor a known error is a ProtocolError, not a URL", () => {
    for (const body of ["Yêu cầu bị từ chối", "ftp://example.com/a.png", "https://a.test/x.png https://b.test/y.png"]) {
      expect(thrown(() => readUploadAnswer("txt", answer(200, body), context))).toMatchObject({
        kind: "protocol",
        reason: "unexpected_body",
      });
    }
  });

  it("redirect: a relative Location resolves against the request; a browser-followed redirect is read from the final URL", () => {
    expect(readUploadAnswer("redirect", answer(302, "", { location: "/view/cat.AbC12" }), context)).toMatchObject({
      viewerUrl: "https://anh.moe/view/cat.AbC12",
    });
    const followed = answer(200, "<html>viewer</html>", {}, { url: "https://anh.moe/view/AbC12", redirected: true });
    expect(readUploadAnswer("redirect", followed, context)).toMatchObject({ viewerUrl: "https://anh.moe/view/AbC12" });
  });

  it("redirect: a hidden redirect (status 0) may have stored the upload", () => {
    expect(thrown(() => readUploadAnswer("redirect", answer(0, ""), context))).toMatchObject({
      reason: "hidden_redirect",
      mayHaveUploaded: true,
    });
  });

  it("json: an error envelope is an ApiError whatever the status; V3's context is tolerated", () => {
    const body = JSON.stringify({
      status_code: 400,
      error: { message: "Empty upload source.", code: 130, context: "Exception" },
      status_txt: "Bad Request",
    });
    expect(thrown(() => readUploadAnswer("json", answer(400, body), context))).toMatchObject({
      id: "empty_upload_source",
      code: 130,
      status: 400,
    });
    expect(thrown(() => readUploadAnswer("json", answer(500, body), context))).toBeInstanceOf(ApiError);
  });

  it("json: a 200 whose image lacks its URLs (a moderated upload) is invalid_answer, and may exist", () => {
    const body = JSON.stringify({
      status_code: 200,
      success: { message: "file uploaded", code: 200 },
      image: {},
      status_txt: "OK",
    });
    const error = thrown(() => readUploadAnswer("json", answer(200, body), context));
    expect(error).toBeInstanceOf(ProtocolError);
    expect(error).toMatchObject({ reason: "invalid_answer", mayHaveUploaded: true });
    expect((error as Error).message).toMatch(/does not follow the protocol \(image\.\w+: /);
  });

  it("429 and 503 with Retry-After are rate_limited; 503 without is a server error", () => {
    expect(thrown(() => readUploadAnswer("json", answer(429, "x"), context))).toMatchObject({ reason: "rate_limited" });
    expect(thrown(() => readUploadAnswer("json", answer(503, "x", { "retry-after": "7" }), context))).toMatchObject({
      reason: "rate_limited",
      retryAfterMs: 7000,
    });
    expect(thrown(() => readUploadAnswer("json", answer(503, "x"), context))).toMatchObject({
      reason: "server_error",
      mayHaveUploaded: true,
    });
  });
});

describe("parseRetryAfter", () => {
  const now = Date.parse("2025-01-01T00:00:00Z");
  it("reads seconds and HTTP dates; a past date is no wait; garbage is undefined", () => {
    expect(parseRetryAfter("120", now)).toBe(120_000);
    expect(parseRetryAfter("Wed, 01 Jan 2025 00:00:30 GMT", now)).toBe(30_000);
    expect(parseRetryAfter("Tue, 31 Dec 2024 23:00:00 GMT", now)).toBe(0);
    expect(parseRetryAfter("soon", now)).toBeUndefined();
    expect(parseRetryAfter(null, now)).toBeUndefined();
  });
});

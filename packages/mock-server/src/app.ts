import { errorEnvelope, FORMAT_RULES } from "@anh-moe/protocol";
import express, { type ErrorRequestHandler, type Express, type RequestHandler } from "express";
import type { MockContext } from "./context.js";
import { createControlRouter } from "./control/control-router.js";
import { createFaultMiddleware } from "./faults/fault-middleware.js";
import { createDeleteRouter } from "./files/delete-router.js";
import { createFileRouter } from "./files/file-router.js";
import type { JournalEntry } from "./journal.js";
import { sendNotFoundPage } from "./pages/layout.js";
import { createPagesRouter } from "./pages/pages-router.js";
import { createViewerRouter } from "./pages/viewer.js";
import { writeJson } from "./upload/answer.js";
import { internalErrorData } from "./upload/api-error.js";
import { createApiHandler } from "./upload/api-handler.js";
import type { Keyring } from "./upload/keys.js";
import { createWebUploadHandler } from "./upload/web-handler.js";

/** The journal's area of a path outside the API and the control plane. */
export function areaOf(path: string, settings: MockContext["settings"]): JournalEntry["area"] {
  if (path.startsWith(settings.filePath)) return "file";
  if (/\/delete\/[^/]+$/.test(path)) return "delete";
  if (path.startsWith(`/${settings.routeImage}/`) || path.startsWith(`/${settings.routeVideo}/`)) return "viewer";
  return path === "/" ? "page" : "other";
}

/**
 * Journals the requests the API handler does not (files, viewer pages, delete links, pages), once answered. The
 * control plane's own requests are left out: a dashboard polling it would drown everything else.
 */
function journalOtherRequests(context: MockContext): RequestHandler {
  return (req, res, next) => {
    if (req.path.startsWith("/api") || req.path.startsWith("/__mock") || req.path === "/json") {
      next();
      return;
    }
    const started = performance.now();
    const time = context.clock.now().toISOString();
    res.on("finish", () => {
      const status = res.statusCode;
      context.journal.record({
        time,
        method: req.method,
        path: req.path,
        area: areaOf(req.path, context.settings),
        keyKind: "none",
        keyFrom: "none",
        username: null,
        fields: {},
        file: null,
        unknownFields: [],
        outcome: {
          status,
          kind: status >= 400 ? "error" : status >= 300 ? "redirect" : "success",
          error: null,
          image: null,
        },
        warnings: [],
        durationMs: Math.round((performance.now() - started) * 100) / 100,
      });
    });
    next();
  };
}

/** What {@link createApp} wires besides the context. */
export interface AppParts {
  readonly keyring: Keyring;
  /** Awaited after clock changes so expired files are gone when the control plane answers. */
  readonly sweep: () => Promise<unknown>;
}

/**
 * Express wiring only: the imitated API (`/api/*`), the served files, delete links and viewer pages, the web
 * upload page, and the mock's own control plane under `/__mock/`. Whatever goes wrong, the answer keeps the API's
 * error shape: never a stack trace or an HTML error page.
 */
export function createApp(context: MockContext, parts: AppParts): Express {
  const app = express();
  app.disable("x-powered-by");
  app.disable("etag");
  app.set("query parser", "simple");

  app.use(journalOtherRequests(context));
  if (context.faults) app.use(createFaultMiddleware(context, parts.keyring, context.faults));
  app.all(/^\/api(?:\/.*)?$/, createApiHandler(context, parts.keyring));
  // The pages router owns `/`, `/__mock/ui` (the dashboard) and its assets, and passes everything else on; it
  // goes before the control router, which answers 404 for any other `/__mock/*` path.
  app.use(createPagesRouter(context));
  app.use("/__mock", createControlRouter(context, { sweep: parts.sweep }));
  app.post("/json", createWebUploadHandler(context));
  app.use(createFileRouter(context));
  app.use(createDeleteRouter(context));
  app.use(createViewerRouter(context));
  app.use((_req, res) => sendNotFoundPage(res, context.settings.siteName));

  const onError: ErrorRequestHandler = (error, req, res, _next) => {
    context.logger.error({ err: error, method: req.method, path: req.path }, "unhandled error");
    if (res.headersSent) {
      res.end();
      return;
    }
    const data = internalErrorData(req.method, req.path, error);
    const rule = FORMAT_RULES.json.error;
    res.status(rule.status);
    if (rule.contentType) res.type(rule.contentType);
    res.send(writeJson(errorEnvelope(data), context.settings));
  };
  app.use(onError);
  return app;
}

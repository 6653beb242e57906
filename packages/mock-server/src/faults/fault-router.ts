import { FaultSpecError, parseFaultRule, parseFaultSpec } from "@anh-moe/protocol";
import { type Request, type Response, Router } from "express";
import { sendError } from "../control/control-router.js";
import type { FaultRules } from "./fault-rules.js";

/** A rule in a request body: an object, or a JSON string in the short form of `--fault`. */
function ruleOf(raw: unknown) {
  return typeof raw === "string" ? parseFaultSpec(raw) : parseFaultRule(raw);
}

function notFound(res: Response, req: Request): void {
  sendError(
    res,
    404,
    "not_found",
    `no fault rule with id ${JSON.stringify(req.params.id)} (GET /__mock/faults lists them)`,
  );
}

/**
 * The fault rules on the control plane, mounted at `/__mock/faults` (JSON in and out):
 *
 * - `GET /__mock/faults` → `{ count, faults }`: every rule with `matched`, `fired`, `retired`;
 * - `POST /__mock/faults` with a rule, a JSON string in the short form (`"api: reset after-store times=1"`) or an
 *   array of either → 201 with the rule (for an array: `{ count, faults }`; all are added or none);
 * - `GET /__mock/faults/<id>` → the rule; `PATCH /__mock/faults/<id>` with `{"enabled": false}` switches it off;
 * - `DELETE /__mock/faults/<id>` → `{ ok: true, deleted }`; `DELETE /__mock/faults` → `{ ok: true, removed }`.
 *
 * An invalid rule is a 400 `invalid_body` whose message lists every problem with its path.
 */
export function createFaultRouter(rules: FaultRules): Router {
  const router = Router();
  const wrong = (res: Response, error: unknown) => {
    if (error instanceof FaultSpecError) sendError(res, 400, "invalid_body", error.message);
    else throw error;
  };

  router.get("/", (_req, res) => {
    const faults = rules.list();
    res.json({ count: faults.length, faults });
  });
  router.post("/", (req, res) => {
    const body: unknown = req.body;
    try {
      if (!Array.isArray(body)) {
        res.status(201).json(rules.add(ruleOf(body)));
        return;
      }
      const parsed = body.map((raw, index) => {
        try {
          return ruleOf(raw);
        } catch (error) {
          if (error instanceof FaultSpecError) throw new FaultSpecError(error.code, `rule ${index}: ${error.message}`);
          throw error;
        }
      });
      const added: string[] = [];
      try {
        const faults = parsed.map((rule) => {
          const state = rules.add(rule);
          added.push(state.id);
          return state;
        });
        res.status(201).json({ count: faults.length, faults });
      } catch (error) {
        for (const id of added) rules.remove(id);
        throw error;
      }
    } catch (error) {
      wrong(res, error);
    }
  });
  router.delete("/", (_req, res) => {
    const removed = rules.size;
    rules.clear();
    res.json({ ok: true, removed });
  });
  router.get("/:id", (req, res) => {
    const state = rules.get(req.params.id);
    if (state === undefined) notFound(res, req);
    else res.json(state);
  });
  router.patch("/:id", (req, res) => {
    const body = req.body as { enabled?: unknown } | undefined;
    const keys = typeof body === "object" && body !== null && !Array.isArray(body) ? Object.keys(body) : null;
    if (keys === null || keys.length !== 1 || typeof body?.enabled !== "boolean") {
      sendError(res, 400, "invalid_body", 'body must be {"enabled": true} or {"enabled": false}');
      return;
    }
    const state = rules.setEnabled(req.params.id, body.enabled);
    if (state === undefined) notFound(res, req);
    else res.json(state);
  });
  router.delete("/:id", (req, res) => {
    if (rules.remove(req.params.id)) res.json({ ok: true, deleted: req.params.id });
    else notFound(res, req);
  });
  router.use((req, res) => {
    const allow = req.path === "/" ? "GET, HEAD, POST, DELETE" : "GET, HEAD, PATCH, DELETE";
    res.set("Allow", allow);
    sendError(
      res,
      405,
      "method_not_allowed",
      `${req.method} is not allowed on ${req.originalUrl.split("?")[0]}; use ${allow}`,
    );
  });
  return router;
}

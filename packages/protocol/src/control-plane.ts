import { z } from "zod";

/**
 * The mock's control plane (`/__mock/*`): the values its journal filters take and the bodies it reads, as zod
 * schemas (the mock parses with them; the OpenAPI document can describe them). Not part of the imitated API.
 */

/** How a journaled request ended. */
export const JOURNAL_OUTCOMES = ["success", "error", "redirect", "other"] as const;
/** One of {@link JOURNAL_OUTCOMES}. */
export type JournalOutcome = (typeof JOURNAL_OUTCOMES)[number];

/** The kind of key a journaled request carried. */
export const JOURNAL_KEY_KINDS = ["guest", "user", "admin", "none", "invalid"] as const;
/** One of {@link JOURNAL_KEY_KINDS}. */
export type JournalKeyKind = (typeof JOURNAL_KEY_KINDS)[number];

/** Which part of the mock answered a journaled request. */
export const JOURNAL_AREAS = ["api", "file", "viewer", "delete", "page", "control", "other"] as const;
/** One of {@link JOURNAL_AREAS}. */
export type JournalArea = (typeof JOURNAL_AREAS)[number];

/**
 * The query of `GET /__mock/requests`: each filter once, as text. `limit` keeps the newest N entries.
 *
 * @example
 * ```ts
 * mockJournalQuerySchema.parse({ outcome: "error", limit: "10" }); // { outcome: "error", limit: 10 }
 * ```
 */
export const mockJournalQuerySchema = z
  .strictObject({
    outcome: z.enum(JOURNAL_OUTCOMES).optional(),
    key: z.enum(JOURNAL_KEY_KINDS).optional(),
    area: z.enum(JOURNAL_AREAS).optional(),
    limit: z
      .string()
      .regex(/^[1-9]\d{0,8}$/, "a positive integer")
      .transform(Number)
      .optional(),
  })
  .meta({ id: "MockJournalQuery", description: "Filters of `GET /__mock/requests`." });

/** A parsed {@link mockJournalQuerySchema}. */
export type MockJournalQuery = z.output<typeof mockJournalQuerySchema>;

const CLOCK_FIELDS = ["advance", "set", "reset"] as const;
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;
const ADVANCE_TEXT = '"advance" must be an ISO 8601 duration such as "PT1H" or a number of milliseconds';

const clockFields = z.strictObject({
  advance: z
    .union(
      [
        z.number().min(0, {
          error: (issue) =>
            `"advance" must be a non-negative number of milliseconds; got ${JSON.stringify(issue.input)}`,
        }),
        z.string().min(1, { error: ADVANCE_TEXT }),
      ],
      { error: ADVANCE_TEXT },
    )
    .optional()
    .describe("An ISO 8601 duration (`PT1H`) or a number of milliseconds to move the clock forward."),
  set: z
    .string({ error: (issue) => setMessage(issue.input) })
    .regex(ISO_INSTANT, { error: (issue) => setMessage(issue.input) })
    .refine((text) => !Number.isNaN(new Date(text).getTime()), { error: (issue) => setMessage(issue.input) })
    .optional()
    .describe("An ISO 8601 instant with a timezone to set the clock to."),
  reset: z
    .literal(true, { error: (issue) => `"reset" must be true; got ${JSON.stringify(issue.input)}` })
    .optional()
    .describe("`true`: back to the system clock."),
});

/**
 * The body of `POST /__mock/clock`: exactly one of `{"advance": "PT1H" | 3600000}`, `{"set": "<ISO instant>"}` or
 * `{"reset": true}`. Each issue's message names the field and the value that is wrong; the first issue is the one
 * to report.
 *
 * @example
 * ```ts
 * mockClockChangeSchema.parse({ advance: "PT1H" }); // { advance: "PT1H" }
 * mockClockChangeSchema.safeParse({ reset: false }).error?.issues[0]?.message; // '"reset" must be true; got false'
 * ```
 */
export const mockClockChangeSchema = z
  .record(z.string(), z.unknown(), {
    error: 'body must be a JSON object: {"advance": "PT1H" | 3600000}, {"set": "<ISO time>"} or {"reset": true}',
  })
  .superRefine((body, ctx) => {
    const keys = Object.keys(body);
    const unknown = keys.filter((key) => !(CLOCK_FIELDS as readonly string[]).includes(key));
    if (unknown.length > 0) {
      ctx.addIssue({ code: "custom", message: `unknown field(s) ${unknown.map((k) => `"${k}"`).join(", ")}` });
    } else if (keys.length !== 1) {
      ctx.addIssue({ code: "custom", message: 'give exactly one of "advance", "set" or "reset"' });
    }
  })
  .pipe(clockFields);

/** A parsed {@link mockClockChangeSchema}. */
export type MockClockChange = z.output<typeof mockClockChangeSchema>;

/**
 * The body of `POST /__mock/clock` as the OpenAPI document shows it: one object per field, each requiring it, made
 * from the fields {@link mockClockChangeSchema} parses (it also words each refusal; this one is for readers).
 */
export const mockClockChangeBodySchema = z
  .union(
    CLOCK_FIELDS.map((name) => {
      const field = clockFields.shape[name];
      return z.strictObject({ [name]: field.unwrap().meta({ description: field.description }) });
    }),
  )
  .meta({ id: "MockClockChange", description: "One clock change: advance, set or reset." });

function setMessage(input: unknown): string {
  return `"set" must be an ISO 8601 instant with a timezone, e.g. "2030-01-01T00:00:00Z"; got ${JSON.stringify(input)}`;
}

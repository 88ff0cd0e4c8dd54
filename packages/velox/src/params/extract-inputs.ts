import type { ErrorDetail } from "../http-exception.ts";
import type { AnySchema } from "../schema/types.ts";
import type { ValidateFn } from "../schema/validator.ts";
import type { SourceExtractor } from "./extract.ts";
import { rawSource, type RawInputs } from "./raw-inputs.ts";

/**
 * The inputs one dependant declares itself — a route or a dependency, analysed the same way:
 * its parameter sources and its body schema.
 *
 * @example
 * ```ts
 * const node: InputNode = { sources: [compileSource("query", { q: z.string() }, true)], body: null, bodySchema: null, bodyShape: null };
 * ```
 */
export interface InputNode {
  sources: SourceExtractor[];
  body: ValidateFn | null;
  bodySchema: AnySchema | null;
  /** Several body parameters (`body: { item, user }`), each a key of the body object; null otherwise. */
  bodyShape: Readonly<Record<string, AnySchema>> | null;
}

type Outcome = ErrorDetail[] | null;

function collect(errors: Outcome, more: ErrorDetail[]): ErrorDetail[] {
  if (errors === null) return more.slice();
  for (const e of more) errors.push(e);
  return errors;
}

/**
 * Validates a dependant's own inputs into `target` (`target.query`, `target.body`, ...) and returns
 * the validation errors, or null. Synchronous unless a validator is asynchronous — the one
 * extractor for routes and dependencies alike.
 *
 * @example
 * ```ts
 * const errors = extractInputs(plan.graph.root, ctx, ctx);
 * if (errors !== null && !(errors instanceof Promise)) throw new RequestValidationError(errors);
 * ```
 */
export function extractInputs(node: InputNode, inputs: RawInputs, target: object): Outcome | Promise<Outcome> {
  const out = target as Record<string, unknown>;
  let errors: Outcome = null;
  let pending: Promise<void>[] | null = null;
  const sources = node.sources;
  for (let i = 0; i < sources.length; i++) {
    const source = sources[i]!;
    const result = source.run(rawSource(inputs, source.location), inputs.req);
    if (result instanceof Promise) {
      (pending ??= []).push(result.then((r) => {
        if (r.errors) errors = collect(errors, r.errors);
        else out[source.key] = r.value;
      }));
    } else if (result.errors) errors = collect(errors, result.errors);
    else out[source.key] = result.value;
  }
  if (node.body !== null) {
    const checked = node.body(inputs._rawBody, ["body"]);
    if (checked instanceof Promise) {
      (pending ??= []).push(checked.then((c) => {
        if (c.errors) errors = collect(errors, c.errors);
        else out.body = c.value;
      }));
    } else if (checked.errors) errors = collect(errors, checked.errors);
    else out.body = checked.value;
  }
  if (pending !== null) return Promise.all(pending).then(() => errors);
  return errors;
}

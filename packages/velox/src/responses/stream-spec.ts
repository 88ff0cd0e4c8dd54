import { ResponseValidationError } from "../http-exception.ts";
import type { AnySchema } from "../schema/types.ts";
import { compileValidator, type ValidateFn } from "../schema/validator.ts";
import { compileSerializer, type Serialize } from "../serialize/serializer.ts";

/** How a route streams its items: Server-Sent Events or JSON Lines. */
export type StreamKind = "sse" | "jsonl";

/** Options of an SSE route. */
export interface SseOptions {
  /** Milliseconds of silence after which a `: ping` comment is sent (default 15 000; `false` for none). */
  keepAlive?: number | false;
}

/**
 * A route's streamed response: set as `response`, it makes the handler's return value an
 * (async) iterable of items, each validated against `schema` and written as it comes.
 */
export interface StreamSpec<S extends AnySchema | undefined = AnySchema | undefined, K extends StreamKind = StreamKind> {
  readonly "~stream": K;
  readonly schema: S;
  /** Keep-alive interval in ms, or null for none (JSON Lines never pings). */
  readonly keepAlive: number | null;
}

/** The default keep-alive interval of SSE streams, as in FastAPI. */
export const DEFAULT_KEEP_ALIVE_MS = 15_000;

/**
 * Declares a Server-Sent Events route (FastAPI 0.135's `EventSourceResponse`): the handler yields
 * items (or `ServerSentEvent`s carrying one as `data`), each validated against `schema` and sent
 * as an event; a `: ping` comment keeps idle connections open; `Cache-Control: no-cache` and
 * `X-Accel-Buffering: no` keep proxies from buffering. Documented as `text/event-stream`.
 *
 * @example
 * ```ts
 * app.get("/ticks", { response: sse(z.object({ n: z.int() }), { keepAlive: 5_000 }) }, async function* ({ signal }) {
 *   for (let n = 0; !signal.aborted; n++) {
 *     yield { n };
 *     await sleep(1000, undefined, { signal }).catch(() => undefined);
 *   }
 * });
 * ```
 */
export function sse<const S extends AnySchema | undefined = undefined>(schema?: S, options: SseOptions = {}): StreamSpec<S, "sse"> {
  const keepAlive = options.keepAlive === undefined ? DEFAULT_KEEP_ALIVE_MS : options.keepAlive === false ? null : options.keepAlive;
  if (keepAlive !== null && !(Number.isFinite(keepAlive) && keepAlive > 0)) throw new TypeError("sse(): keepAlive must be a positive number of milliseconds or false");
  return Object.freeze({ "~stream": "sse" as const, schema: schema as S, keepAlive });
}

/**
 * Declares a JSON Lines route (`application/jsonl`, FastAPI 0.134's streaming of generator
 * endpoints): every item the handler yields is validated against `schema` and written as one
 * line of JSON.
 *
 * @example
 * ```ts
 * app.get("/items/export", { response: jsonl(Item) }, async function* () {
 *   for await (const row of db.streamItems()) yield row;
 * });
 * ```
 */
export function jsonl<const S extends AnySchema | undefined = undefined>(schema?: S): StreamSpec<S, "jsonl"> {
  return Object.freeze({ "~stream": "jsonl" as const, schema: schema as S, keepAlive: null });
}

/** True for what {@link sse} and {@link jsonl} return. */
export function isStreamSpec(value: unknown): value is StreamSpec {
  return typeof value === "object" && value !== null && "~stream" in value;
}

/** Validates and serializes one streamed item to JSON text (sync when the validator is). */
export type ItemEncoder = (item: unknown) => string | Promise<string>;

const encoders = new WeakMap<AnySchema, ItemEncoder>();
const plain: ItemEncoder = (item) => JSON.stringify(item) ?? "null";

/**
 * The encoder of one item schema, compiled once (validator plus fast-json-stringify serializer,
 * which also drops undeclared properties) and shared by every stream of that schema. Without a
 * schema items are written with `JSON.stringify`. A failing item throws `ResponseValidationError`.
 *
 * @example
 * ```ts
 * const encode = itemEncoder(Item);
 * await encode({ id: 1, name: "Hammer", secret: "x" }); // '{"id":1,"name":"Hammer"}'
 * ```
 */
export function itemEncoder(schema: AnySchema | undefined, validate = true): ItemEncoder {
  if (schema === undefined) return plain;
  if (validate) {
    const cached = encoders.get(schema);
    if (cached) return cached;
  }
  const check: ValidateFn | null = validate ? compileValidator(schema) : null;
  const serialize: Serialize = compileSerializer(schema).serialize;
  const encode: ItemEncoder = check === null
    ? (item) => serialize(item)
    : (item) => {
      const checked = check(item, ["response"]);
      if (checked instanceof Promise) {
        return checked.then((c) => {
          if (c.errors) throw new ResponseValidationError(c.errors);
          return serialize(c.value);
        });
      }
      if (checked.errors) throw new ResponseValidationError(checked.errors);
      return serialize(checked.value);
    };
  if (validate) encoders.set(schema, encode);
  return encode;
}

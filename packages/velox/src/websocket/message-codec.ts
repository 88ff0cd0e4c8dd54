import { ProtocolError } from "../errors.ts";
import { RequestValidationError, ResponseValidationError, type ErrorDetail } from "../http-exception.ts";
import { parseJsonBody } from "../params/json-body.ts";
import { compileSerializer, type Serialize } from "../serialize/serializer.ts";
import type { AnySchema } from "../schema/types.ts";
import { compileValidator, type ValidateFn } from "../schema/validator.ts";
import { CloseCode } from "./close-codes.ts";

/** A decoded inbound message, or why it was refused (with the close code that would say so). */
export type Decoded = { ok: true; value: unknown } | { ok: false; code: number; detail: ErrorDetail[] };

/** Turns frames into handler values and handler values into frames, per route. */
export interface MessageCodec {
  /** True when messages are JSON (a `message` or `send` schema): text frames, parsed and validated. */
  readonly json: boolean;
  decode(data: Buffer, isBinary: boolean): Decoded | Promise<Decoded>;
  /** Validates, filters and serializes an outbound value; throws `ResponseValidationError` on a bad one. */
  encode(value: unknown): string | Buffer | Promise<string | Buffer>;
}

const relocate = (detail: ErrorDetail[]): ErrorDetail[] =>
  detail.map((d) => (d.loc[0] === "body" ? { ...d, loc: ["message", ...d.loc.slice(1)] } : d));

function parse(data: Buffer): Decoded | { ok: true; value: unknown } {
  try {
    return { ok: true, value: parseJsonBody(data) };
  } catch (err) {
    if (err instanceof RequestValidationError) return { ok: false, code: CloseCode.INVALID_PAYLOAD, detail: relocate(err.errors) };
    const msg = err instanceof ProtocolError ? err.message.replace("JSON body", "JSON message").replace("Request body", "Message") : "Invalid message";
    return { ok: false, code: CloseCode.INVALID_PAYLOAD, detail: [{ type: "value_error", loc: ["message"], msg, input: null }] };
  }
}

const BINARY_REFUSED: Decoded = {
  ok: false,
  code: CloseCode.UNSUPPORTED_DATA,
  detail: [{ type: "value_error", loc: ["message"], msg: "Binary messages are not accepted here; send JSON text", input: null }],
};

/**
 * Compiles a route's message schemas: inbound (`message`) text frames are parsed with the JSON
 * body's guards (prototype keys, depth) and validated, binary ones refused (1003); outbound
 * (`send`) values are validated and filtered like a response model and serialized with the
 * compiled serializer. Without schemas, frames pass as `string` (text) or `Buffer` (binary) and
 * outbound strings and Buffers go out as they are, anything else as JSON.
 *
 * @example
 * ```ts
 * const codec = compileCodec(z.object({ content: z.string().max(2000) }), ChatEvent, true);
 * const decoded = await codec.decode(Buffer.from('{"content":"hi"}'), false); // { ok: true, value: { content: "hi" } }
 * ```
 */
export function compileCodec(inbound: AnySchema | undefined, outbound: AnySchema | undefined, optimize = true): MessageCodec {
  const json = inbound !== undefined || outbound !== undefined;
  const validateIn: ValidateFn | null = inbound ? compileValidator(inbound, optimize) : null;
  const validateOut: ValidateFn | null = outbound ? compileValidator(outbound, optimize) : null;
  const serialize: Serialize | null = outbound ? compileSerializer(outbound).serialize : null;

  const checkIn = (value: unknown): Decoded | Promise<Decoded> => {
    const checked = validateIn!(value, ["message"]);
    const settle = (c: Awaited<typeof checked>): Decoded => (c.errors ? { ok: false, code: CloseCode.INVALID_PAYLOAD, detail: c.errors } : { ok: true, value: c.value });
    return checked instanceof Promise ? checked.then(settle) : settle(checked);
  };

  return {
    json,
    decode(data, isBinary) {
      if (!json) return { ok: true, value: isBinary ? data : data.toString("utf8") };
      if (isBinary) return BINARY_REFUSED;
      const parsed = parse(data);
      if (!parsed.ok || validateIn === null) return parsed;
      return checkIn(parsed.value);
    },
    encode(value) {
      if (validateOut === null) {
        if (typeof value === "string" || Buffer.isBuffer(value)) return value;
        return JSON.stringify(value) ?? "null";
      }
      const checked = validateOut(value, ["message"]);
      const settle = (c: Awaited<typeof checked>): string => {
        if (c.errors) throw new ResponseValidationError(c.errors);
        return serialize!(c.value);
      };
      return checked instanceof Promise ? checked.then(settle) : settle(checked);
    },
  };
}

import type { IncomingMessage } from "node:http";
import { lingerWhenClosing } from "../lingering-close.ts";

/**
 * Called by a body reader that stops reading a request's body before its end, to answer at once
 * with `Connection: close` (a body over its limit, a malformed upload). The client may still be
 * sending the rest; it must be able to read the answer all the same.
 *
 * - On node the connection closes by {@link lingerWhenClosing}: the answer, then a half-close,
 *   then what still arrives is dropped for at most two seconds.
 * - A runtime's own request (Bun's) handles it its own way: Bun resets a connection closed with
 *   unread body bytes, so there the answer keeps the connection and Bun drops the rest itself.
 *
 * @example
 * ```ts
 * if (size > limit) {
 *   refuseRestOfBody(req);
 *   sink.bodyFailed(new ProtocolError(413, "Request body is too large", { connection: "close" }));
 * }
 * ```
 */
export function refuseRestOfBody(req: IncomingMessage): void {
  const own = (req as { refuseRestOfBody?: () => void }).refuseRestOfBody;
  if (own !== undefined) own.call(req);
  else lingerWhenClosing(req.socket);
}

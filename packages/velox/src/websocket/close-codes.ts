/**
 * The close codes Velox sends (RFC 6455 §7.4.1 and the IANA registry), by what they mean.
 *
 * @example
 * ```ts
 * socket.close(CloseCode.POLICY_VIOLATION, "not allowed in this room");
 * ```
 */
export const CloseCode = {
  NORMAL: 1000,
  GOING_AWAY: 1001,
  PROTOCOL_ERROR: 1002,
  UNSUPPORTED_DATA: 1003,
  /** Never sent: the peer vanished without a close frame. */
  ABNORMAL: 1006,
  INVALID_PAYLOAD: 1007,
  POLICY_VIOLATION: 1008,
  MESSAGE_TOO_BIG: 1009,
  INTERNAL_ERROR: 1011,
  TRY_AGAIN_LATER: 1013,
} as const;

/**
 * Raised by `receive()` and `send()` once the connection is closed, with the close code the peer
 * (or Velox) sent — FastAPI's `WebSocketDisconnect`. A handler that lets it escape ends normally.
 *
 * @example
 * ```ts
 * try {
 *   for (;;) await socket.send(await socket.receive());
 * } catch (err) {
 *   if (err instanceof WebSocketDisconnect) log.info({ code: err.code }, "client left");
 *   else throw err;
 * }
 * ```
 */
export class WebSocketDisconnect extends Error {
  readonly code: number;
  readonly reason: string;
  constructor(code: number = CloseCode.NORMAL, reason = "") {
    super(`WebSocket closed with code ${code}${reason ? ` (${reason})` : ""}`);
    this.name = "WebSocketDisconnect";
    this.code = code;
    this.reason = reason;
  }
}

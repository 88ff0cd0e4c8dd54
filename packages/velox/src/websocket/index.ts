export { CloseCode, WebSocketDisconnect } from "./close-codes.ts";
export { WebSocketConnection, type CloseInfo, type InvalidMessagePolicy } from "./connection.ts";
export { DEFAULT_LIMITS, type WebSocketLimits, type OriginPolicy, type MessageRateLimit } from "./options.ts";

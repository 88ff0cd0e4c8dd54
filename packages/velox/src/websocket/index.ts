export { CloseCode, WebSocketDisconnect } from "./close-codes.ts";
export { WebSocketConnection, type CloseInfo, type InvalidMessagePolicy } from "./connection.ts";
export { DEFAULT_LIMITS, type WebSocketLimits, type OriginPolicy, type MessageRateLimit } from "./options.ts";
export { Hub, type HubOptions, type HubAdapter, type AdapterHooks, type HubChannel, type RemoteDelivery, type PresenceEvent, type PresenceChange, type RoomInfo, type BroadcastOptions } from "./hub.ts";
export { RedisHubAdapter, type RedisHubAdapterOptions } from "./redis-adapter.ts";
export { prepareFrame, type PreparedFrame } from "./frame.ts";

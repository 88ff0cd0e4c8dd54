export { TestClient, TestResponse, type TestRequestOptions, type TestableApp } from "./test-client.ts";
export { serveForTest, type LiveServer } from "./live-server.ts";
export { TestWebSocket, WebSocketRejected, type TestWebSocketOptions } from "./websocket-session.ts";
export { encodeFormData, type TestFile } from "./form-data.ts";

import type { IncomingMessage, ServerResponse } from "node:http";
import type { Duplex } from "node:stream";
import { inject } from "./inject.ts";
import { openTestWebSocket, type TestWebSocket, type TestWebSocketOptions } from "./websocket-session.ts";
import { encodeFormData, formDataOf, type TestFile } from "./form-data.ts";

/** Anything with a node `(req, res)` handler and Velox's start/stop hooks. */
export interface TestableApp {
  handler: (req: IncomingMessage, res: ServerResponse) => void;
  ready(): Promise<void>;
  close(): Promise<void>;
  /** The upgrade entry (HTTP Upgrade requests), for `client.websocket()`. */
  upgrade?(req: IncomingMessage, socket: Duplex, head: Buffer): void;
}

/** Options of one test request. */
export interface TestRequestOptions {
  /** Query parameters; arrays repeat the key. */
  query?: Record<string, string | number | boolean | readonly (string | number | boolean)[]>;
  /**
   * Request headers. An array value (or repeated `[name, value]` pairs) sends the header once per
   * value, as a real client does; the app sees them as node's parser presents them.
   */
  headers?: Record<string, string | readonly string[]> | readonly (readonly [string, string])[];
  cookies?: Record<string, string>;
  /** Sent as `application/json`. */
  json?: unknown;
  /** Sent as `application/x-www-form-urlencoded`, or as the text fields of a multipart body when `files` is given. */
  form?: Record<string, string | readonly string[]>;
  /**
   * Files, sent as `multipart/form-data` with `form`'s fields (Starlette's `files=`): a Blob or File,
   * or `{ content, filename, contentType }`; an array sends several under one name.
   */
  files?: Record<string, TestFile | readonly TestFile[]>;
  /** A raw body (set `content-type` yourself), or a FormData (sent as `multipart/form-data`). */
  body?: string | Buffer | FormData;
}

/** The response of a test request. */
export class TestResponse {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: Buffer;

  constructor(status: number, headers: Record<string, string | string[] | undefined>, body: Buffer) {
    this.status = status;
    this.headers = headers;
    this.body = body;
  }

  get text(): string {
    return this.body.toString("utf8");
  }

  /** The body parsed as JSON. */
  json<T = any>(): T {
    return JSON.parse(this.text) as T;
  }

  /** True for 2xx statuses. */
  get ok(): boolean {
    return this.status >= 200 && this.status < 300;
  }
}

/** Headers as light-my-request takes them: repeated names become arrays. */
function headerObject(headers: TestRequestOptions["headers"]): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  const entries: [string, string | readonly string[]][] = Array.isArray(headers)
    ? (headers as readonly (readonly [string, string])[]).map(([k, v]) => [k, v])
    : Object.entries(headers ?? {});
  for (const [name, value] of entries) {
    const key = name.toLowerCase();
    const values = typeof value === "string" ? [value] : [...value];
    const prev = out[key];
    out[key] = prev === undefined ? (values.length === 1 ? values[0]! : values) : [...(Array.isArray(prev) ? prev : [prev]), ...values];
  }
  return out;
}

/** Every value of each header, from the raw header lines, as node's `headersDistinct` gives them. */
function distinctHeaders(raw: readonly string[]): Record<string, string[]> {
  const out: Record<string, string[]> = Object.create(null);
  for (let i = 0; i + 1 < raw.length; i += 2) (out[raw[i]!.toLowerCase()] ??= []).push(raw[i + 1]!);
  return out;
}

function buildQuery(query: TestRequestOptions["query"]): string {
  if (!query) return "";
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    for (const v of Array.isArray(value) ? value : [value]) params.append(key, String(v));
  }
  const text = params.toString();
  return text ? `?${text}` : "";
}

/**
 * An in-process client: requests go straight to the app's handler without a socket, and the
 * app's lifespan runs on `start()` (or the first request) and its cleanup on `close()`.
 *
 * @example
 * ```ts
 * const client = new TestClient(app);
 * const res = await client.post("/items", { json: { name: "Widget", price: 3 } });
 * expect(res.status).toBe(201);
 * await client.close();
 * ```
 */
export class TestClient {
  private started: Promise<void> | null = null;
  /** Cookies set by responses, sent with later requests (like a browser or httpx). */
  readonly cookies = new Map<string, string>();
  private readonly sockets = new Set<TestWebSocket>();

  constructor(readonly app: TestableApp) {}

  /** The app's handler, seeing the request as node's parser would present it (`headersDistinct`). */
  private readonly dispatch = (req: IncomingMessage, res: ServerResponse): void => {
    if ((req as { headersDistinct?: unknown }).headersDistinct === undefined) {
      Object.defineProperty(req, "headersDistinct", { value: distinctHeaders(req.rawHeaders), configurable: true });
    }
    this.app.handler(req, res);
  };

  /** Runs the app's startup (lifespan, compilation). */
  start(): Promise<void> {
    this.started ??= this.app.ready();
    return this.started;
  }

  async request(method: string, url: string, options: TestRequestOptions = {}): Promise<TestResponse> {
    await this.start();
    const headers = headerObject(options.headers);
    let payload: string | Buffer | undefined;
    if (options.json !== undefined) {
      payload = JSON.stringify(options.json);
      headers["content-type"] ??= "application/json";
    } else if (options.files !== undefined || options.body instanceof FormData) {
      const data = options.body instanceof FormData ? options.body : formDataOf(options.form, options.files!);
      const encoded = await encodeFormData(data);
      payload = encoded.body;
      headers["content-type"] ??= encoded.contentType;
    } else if (options.form !== undefined) {
      const form = new URLSearchParams();
      for (const [k, v] of Object.entries(options.form)) for (const item of Array.isArray(v) ? v : [v]) form.append(k, item as string);
      payload = form.toString();
      headers["content-type"] ??= "application/x-www-form-urlencoded";
    } else if (options.body !== undefined) payload = options.body as string | Buffer;
    const cookies = new Map([...this.cookies, ...Object.entries(options.cookies ?? {})]);
    if (cookies.size > 0) {
      const jar = [...cookies].map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join("; ");
      headers.cookie = headers.cookie === undefined ? jar : [...(Array.isArray(headers.cookie) ? headers.cookie : [headers.cookie]), jar];
    }
    const res = await inject(this.dispatch as any, {
      method: method.toUpperCase() as "GET",
      url: url + buildQuery(options.query),
      headers,
      ...(payload !== undefined ? { payload } : {}),
    });
    for (const cookie of res.cookies as { name: string; value: string; maxAge?: number; expires?: Date }[]) {
      if (cookie.maxAge === 0 || (cookie.expires && cookie.expires.getTime() <= Date.now())) this.cookies.delete(cookie.name);
      else this.cookies.set(cookie.name, cookie.value);
    }
    return new TestResponse(res.statusCode, res.headers as Record<string, string | string[] | undefined>, res.rawPayload);
  }

  get(url: string, options?: Omit<TestRequestOptions, "json" | "form" | "files" | "body">) {
    return this.request("GET", url, options);
  }
  head(url: string, options?: Omit<TestRequestOptions, "json" | "form" | "files" | "body">) {
    return this.request("HEAD", url, options);
  }
  options(url: string, options?: TestRequestOptions) {
    return this.request("OPTIONS", url, options);
  }
  post(url: string, options?: TestRequestOptions) {
    return this.request("POST", url, options);
  }
  put(url: string, options?: TestRequestOptions) {
    return this.request("PUT", url, options);
  }
  patch(url: string, options?: TestRequestOptions) {
    return this.request("PATCH", url, options);
  }
  delete(url: string, options?: TestRequestOptions) {
    return this.request("DELETE", url, options);
  }

  /**
   * Opens a WebSocket to the app in process (no port; node's HTTP parser and `ws` on both ends),
   * with the client's cookies; dependency overrides apply as for HTTP requests. A handshake the
   * app refuses rejects with `WebSocketRejected` (its status, headers and body).
   *
   * @example
   * ```ts
   * const ws = await client.websocket("/ws/lobby", { query: { token } });
   * ws.sendJson({ content: "hi" });
   * expect(await ws.receiveJson()).toMatchObject({ type: "message", content: "hi" });
   * await ws.close();
   * ```
   */
  async websocket(path: string, options: TestWebSocketOptions = {}): Promise<TestWebSocket> {
    await this.start();
    const app = this.app;
    if (typeof app.upgrade !== "function") throw new Error("this app has no upgrade entry (app.upgrade): it cannot open WebSockets");
    const cookies = new Map([...this.cookies, ...Object.entries(options.cookies ?? {})]);
    const cookieHeader = cookies.size > 0 ? [...cookies].map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join("; ") : undefined;
    const session = await openTestWebSocket((req, socket, head) => app.upgrade!(req, socket, head), path + buildQuery(options.query), { ...options, cookieHeader });
    this.sockets.add(session);
    void session.closed.then(() => this.sockets.delete(session));
    return session;
  }

  /** Runs the app's shutdown (lifespan cleanup, app-scoped disposal, background drain). */
  async close(): Promise<void> {
    await Promise.all([...this.sockets].map((s) => s.close()));
    if (this.started) await this.started.catch(() => undefined);
    await this.app.close();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }
}

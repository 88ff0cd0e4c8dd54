import { TestResponse, type TestRequestOptions } from "../../src/testing/index.ts";
import { encodeFormData, formDataOf } from "../../src/testing/form-data.ts";

/**
 * `TestClient`'s request API over a real socket (fetch): the same test cases run against an app
 * served in another process — on Bun, say.
 *
 * @example
 * ```ts
 * const client = new HttpClient(hosted.url);
 * const res = await client.get("/items/5");
 * ```
 */
export class HttpClient {
  constructor(readonly base: string) {}

  async request(method: string, url: string, options: TestRequestOptions = {}): Promise<TestResponse> {
    const target = new URL(url, this.base);
    for (const [key, value] of Object.entries(options.query ?? {})) {
      for (const v of Array.isArray(value) ? value : [value]) target.searchParams.append(key, String(v));
    }
    const headers = new Headers();
    const entries = Array.isArray(options.headers) ? options.headers : Object.entries(options.headers ?? {});
    for (const [name, value] of entries as [string, string | readonly string[]][]) {
      for (const v of typeof value === "string" ? [value] : value) headers.append(name, v);
    }
    let body: string | Buffer | undefined;
    if (options.json !== undefined) {
      body = JSON.stringify(options.json);
      if (!headers.has("content-type")) headers.set("content-type", "application/json");
    } else if (options.files !== undefined || options.body instanceof FormData) {
      const encoded = await encodeFormData(options.body instanceof FormData ? options.body : formDataOf(options.form, options.files!));
      body = encoded.body;
      if (!headers.has("content-type")) headers.set("content-type", encoded.contentType);
    } else if (options.form !== undefined) {
      const form = new URLSearchParams();
      for (const [k, v] of Object.entries(options.form)) for (const item of Array.isArray(v) ? v : [v]) form.append(k, item as string);
      body = form.toString();
      if (!headers.has("content-type")) headers.set("content-type", "application/x-www-form-urlencoded");
    } else if (options.body !== undefined) body = options.body as string | Buffer;
    if (options.cookies) headers.append("cookie", Object.entries(options.cookies).map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join("; "));
    const res = await fetch(target, { method: method.toUpperCase(), headers, body: body as string | undefined, redirect: "manual" });
    const out: Record<string, string | string[]> = {};
    res.headers.forEach((value, name) => {
      out[name] = value;
    });
    const cookies = res.headers.getSetCookie();
    if (cookies.length > 0) out["set-cookie"] = cookies;
    return new TestResponse(res.status, out, Buffer.from(await res.arrayBuffer()));
  }

  get(url: string, options?: TestRequestOptions) {
    return this.request("GET", url, options);
  }
  post(url: string, options?: TestRequestOptions) {
    return this.request("POST", url, options);
  }
  put(url: string, options?: TestRequestOptions) {
    return this.request("PUT", url, options);
  }
  delete(url: string, options?: TestRequestOptions) {
    return this.request("DELETE", url, options);
  }
}

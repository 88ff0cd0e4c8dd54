/** Baseline request handler: hand-written routing, validation and serialization (ratio 1.00). */
import type { IncomingMessage, ServerResponse } from "node:http";
import { HELLO, makeUser } from "./fixtures.ts";
import { checkFields, checkItem, parseId, type Problem } from "./raw-validate.ts";

const JSON_TYPE = { "content-type": "application/json" };
let nextId = 1;

function send(res: ServerResponse, status: number, body: string): void {
  res.writeHead(status, JSON_TYPE);
  res.end(body);
}

function invalid(res: ServerResponse, p: Problem): void {
  send(res, 422, JSON.stringify({ detail: [{ type: "value_error", loc: p.loc, msg: p.msg }] }));
}

/** Returns the decoded value of `key` in a query string, the last one if repeated. */
function queryParam(qs: string, key: string): string | undefined {
  let found: string | undefined;
  for (const pair of qs.split("&")) {
    const eq = pair.indexOf("=");
    const k = eq < 0 ? pair : pair.slice(0, eq);
    if (k !== key) continue;
    const v = eq < 0 ? "" : pair.slice(eq + 1);
    found = v.includes("%") || v.includes("+") ? decodeURIComponent(v.replace(/\+/g, " ")) : v;
  }
  return found;
}

function getUser(res: ServerResponse, rawId: string, qs: string): void {
  const id = parseId(rawId);
  if (id === null) return invalid(res, { loc: ["path", "id"], msg: "id must be an integer 1..2^31-1" });
  let fields: string | undefined;
  try {
    fields = qs === "" ? undefined : queryParam(qs, "fields");
  } catch {
    return invalid(res, { loc: ["query", "fields"], msg: "bad percent-encoding" });
  }
  const p = checkFields(fields);
  if (p) return invalid(res, p);
  send(res, 200, JSON.stringify(makeUser(id, fields)));
}

function postItem(req: IncomingMessage, res: ServerResponse): void {
  const type = req.headers["content-type"] ?? "";
  const chunks: Buffer[] = [];
  req.on("data", (c: Buffer) => chunks.push(c));
  req.on("end", () => {
    if (!type.startsWith("application/json")) return invalid(res, { loc: ["body"], msg: "expected JSON" });
    let body: unknown;
    try {
      body = JSON.parse(Buffer.concat(chunks).toString("utf8"));
    } catch {
      return invalid(res, { loc: ["body"], msg: "invalid JSON" });
    }
    const p = checkItem(body);
    if (p) return invalid(res, p);
    const b = body as Record<string, unknown>;
    const d = b.dimensions as Record<string, unknown>;
    const item = {
      id: nextId++, name: b.name, sku: b.sku, price: b.price, quantity: b.quantity, inStock: b.inStock,
      category: b.category, tags: b.tags, dimensions: { width: d.width, height: d.height, depth: d.depth },
    };
    send(res, 201, JSON.stringify(item));
  });
}

/** The raw contract server's request handler (see raw.ts). */
export function rawHandler(req: IncomingMessage, res: ServerResponse): void {
  const url = req.url ?? "/";
  const q = url.indexOf("?");
  const path = q < 0 ? url : url.slice(0, q);
  const qs = q < 0 ? "" : url.slice(q + 1);
  if (req.method === "GET" && path === "/json") return send(res, 200, JSON.stringify(HELLO));
  if (req.method === "GET" && path.startsWith("/users/") && path.indexOf("/", 7) < 0) {
    return getUser(res, path.slice(7), qs);
  }
  if (req.method === "POST" && path === "/items") return postItem(req, res);
  send(res, 404, '{"detail":"Not Found"}');
}

import type { AsyncAPIDocument } from "./asyncapi.ts";

const esc = (s: unknown) => String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function resolve(doc: AsyncAPIDocument, node: unknown): any {
  let current = node as any;
  for (let i = 0; i < 8 && current && typeof current.$ref === "string"; i++) {
    current = current.$ref.slice(2).split("/").reduce((at: any, key: string) => at?.[key.replace(/~1/g, "/").replace(/~0/g, "~")], doc);
  }
  return current;
}

function schemaBlock(doc: AsyncAPIDocument, schema: unknown): string {
  const ref = (schema as { $ref?: string } | undefined)?.$ref;
  const title = ref ? `<p class="ref">${esc(ref.split("/").pop())}</p>` : "";
  return `${title}<pre>${esc(JSON.stringify(resolve(doc, schema), null, 2))}</pre>`;
}

function messages(doc: AsyncAPIDocument, refs: unknown[] | undefined): string {
  if (!refs || refs.length === 0) return "<p>Any message.</p>";
  return refs.map((r) => {
    const m = resolve(doc, r);
    return `<details open><summary>${esc(m?.name ?? "message")}${m?.title ? ` — ${esc(m.title)}` : ""}</summary>${m?.summary ? `<p>${esc(m.summary)}</p>` : ""}${schemaBlock(doc, m?.payload)}</details>`;
  }).join("");
}

/**
 * A self-contained page for an AsyncAPI document (no script, no CDN): each channel with its
 * address, parameters, query and headers, security, and the messages each side sends with their
 * schemas — what FastAPI's docs never show for WebSockets.
 *
 * @example
 * ```ts
 * app.get("/asyncapi", { includeInSchema: false }, () => new HTMLResponse(asyncapiHtml(doc, "/asyncapi.json")));
 * ```
 */
export function asyncapiHtml(doc: AsyncAPIDocument, jsonUrl: string): string {
  const ops = Object.values(doc.operations ?? {}) as any[];
  const channels = Object.entries(doc.channels ?? {}).map(([id, channel]: [string, any]) => {
    const mine = ops.filter((o) => o.channel?.$ref === `#/channels/${id}`);
    const receive = mine.find((o) => o.action === "receive");
    const send = mine.find((o) => o.action === "send");
    const params = Object.entries(channel.parameters ?? {}).map(([name, p]: [string, any]) => `<li><code>${esc(name)}</code>${p.description ? ` — ${esc(p.description)}` : ""}${p.enum ? ` (one of ${p.enum.map(esc).join(", ")})` : ""}</li>`).join("");
    const ws = channel.bindings?.ws ?? {};
    const security = (receive?.security ?? []).map((s: any) => `<code>${esc(String(s.$ref).split("/").pop())}</code>`).join(", ");
    return `<section id="${esc(id)}"><h2><span class="verb">WS</span> <code>${esc(channel.address)}</code></h2>
${channel.title ? `<p>${esc(channel.title)}</p>` : ""}${channel.description ? `<p>${esc(channel.description)}</p>` : ""}
${params ? `<h3>Path parameters</h3><ul>${params}</ul>` : ""}
${ws.query ? `<h3>Query</h3>${schemaBlock(doc, ws.query)}` : ""}${ws.headers ? `<h3>Headers</h3>${schemaBlock(doc, ws.headers)}` : ""}
${security ? `<h3>Security</h3><p>${security} — checked before the upgrade; a failure is an HTTP 401/403.</p>` : ""}
<h3>Client → server</h3>${messages(doc, receive?.messages)}
<h3>Server → client</h3>${messages(doc, send?.messages)}</section>`;
  }).join("\n");
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${esc(doc.info?.title)} — WebSockets</title>
<style>body{font:15px/1.45 system-ui,sans-serif;max-width:960px;margin:2rem auto;padding:0 1rem;color:#1d2430}
section{border:1px solid #dde1e8;border-radius:6px;padding:0 1rem 1rem;margin:1rem 0}.verb{background:#2f6fde;color:#fff;border-radius:3px;padding:0 .4rem;font-size:.8em}
pre{background:#f4f5f7;padding:.6rem;overflow:auto;border-radius:4px}.ref{margin:.2rem 0;color:#5b6475;font-family:monospace}summary{cursor:pointer;font-weight:600}</style></head>
<body><h1>${esc(doc.info?.title)} <small>${esc(doc.info?.version)}</small></h1><p>WebSocket channels · <a href="${esc(jsonUrl)}">AsyncAPI ${esc(doc.asyncapi)} document</a></p>
${channels || "<p>No WebSocket routes.</p>"}</body></html>`;
}

import { describe, expect, it } from "vitest";
import { escapeHtml, oauth2RedirectHtml, redocHtml, swaggerUiHtml } from "./docs-html.ts";

describe("docs pages", () => {
  it("escapes the title and keeps settings JSON from closing its script block", () => {
    const html = swaggerUiHtml({
      title: `<script>alert(1)</script>`,
      openapiUrl: "/openapi.json",
      assets: "/docs",
      oauth2RedirectUrl: "/docs/oauth2-redirect",
      parameters: { note: "</script><script>alert(2)</script>" },
    });
    expect(html).not.toContain("<script>alert");
    expect(html).toContain("&#60;script&#62;alert(1)&#60;/script&#62;");
    const json = /<script id="velox-docs-config" type="application\/json">(.*)<\/script>/.exec(html)![1]!;
    expect(JSON.parse(json)).toMatchObject({ url: "/openapi.json", parameters: { note: "</script><script>alert(2)</script>", deepLinking: true } });
  });

  it("has no inline executable script, so a script-src 'self' policy allows the pages", () => {
    for (const html of [
      swaggerUiHtml({ title: "t", openapiUrl: "/o", assets: "/docs", oauth2RedirectUrl: null }),
      redocHtml({ title: "t", openapiUrl: "/o", assets: "/redoc" }),
      oauth2RedirectHtml("/docs"),
    ]) {
      const inline = [...html.matchAll(/<script(?![^>]*\bsrc=)([^>]*)>/g)].map((m) => m[1]);
      expect(inline.every((attrs) => attrs!.includes('type="application/json"'))).toBe(true);
    }
  });

  it("escapes the five HTML specials", () => {
    expect(escapeHtml(`&<>"'`)).toBe("&#38;&#60;&#62;&#34;&#39;");
  });
});

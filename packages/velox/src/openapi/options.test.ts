import { describe, expect, it } from "vitest";
import { resolveOpenAPIOptions } from "./options.ts";

describe("resolveOpenAPIOptions", () => {
  it("fills FastAPI's defaults and the app's title, version and description", () => {
    const options = resolveOpenAPIOptions({ title: "Shop", description: "Buy things" });
    expect(options).toMatchObject({
      title: "Shop",
      version: "0.1.0",
      description: "Buy things",
      openapiUrl: "/openapi.json",
      docsUrl: "/docs",
      redocUrl: "/redoc",
      swaggerUiOAuth2RedirectUrl: "/docs/oauth2-redirect",
      rootPath: "",
      separateInputOutputSchemas: true,
    });
    expect(resolveOpenAPIOptions({}).title).toBe("Velox");
  });

  it("lets the openapi options win over the app's", () => {
    expect(resolveOpenAPIOptions({ title: "App", openapi: { title: "Docs", version: "9" } })).toMatchObject({ title: "Docs", version: "9" });
  });

  it("turns pages off with null, and the redirect page follows the docs", () => {
    const options = resolveOpenAPIOptions({ openapi: { docsUrl: null, redocUrl: null } });
    expect(options.docsUrl).toBeNull();
    expect(options.redocUrl).toBeNull();
    expect(options.swaggerUiOAuth2RedirectUrl).toBeNull();
    expect(resolveOpenAPIOptions({ openapi: { docsUrl: "/api-docs/" } }).swaggerUiOAuth2RedirectUrl).toBe("/api-docs/oauth2-redirect");
  });

  it("rejects URLs that are not paths and malformed root paths", () => {
    expect(() => resolveOpenAPIOptions({ openapi: { docsUrl: "docs" } })).toThrow(/VX_INVALID_OPTION/);
    expect(() => resolveOpenAPIOptions({ openapi: { openapiUrl: "/a b" } })).toThrow(/VX_INVALID_OPTION/);
    expect(() => resolveOpenAPIOptions({ openapi: { rootPath: "/api/" } })).toThrow(/rootPath/);
  });
});

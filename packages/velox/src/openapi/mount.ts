import type { RequestContext } from "../context.ts";
import type { HTTPMethod, RouteConfig } from "../route-types.ts";
import type { VeloxResponse } from "../responses/response.ts";
import { HTMLResponse, JSONResponse } from "../responses/simple.ts";
import { assetResponse, makeAsset, packageAsset, type Asset } from "./assets.ts";
import { missingPackageHtml, oauth2RedirectHtml, redocHtml, REDOC_INIT_JS, swaggerUiHtml, SWAGGER_INIT_JS } from "./docs-html.ts";
import { checkOperationIds, generateOpenAPI, type OpenAPIApp } from "./generate.ts";
import { resolveOpenAPIOptions } from "./options.ts";
import type { OpenAPIDocument } from "./types.ts";

/**
 * An app the docs can be mounted on: the generator's view of it plus route registration.
 *
 * @example
 * ```ts
 * mountDocs(new Velox() satisfies DocsApp);
 * ```
 */
export type DocsApp = OpenAPIApp & {
  /** Registers a route that the app's own `dependencies` do not apply to. */
  addInternalRoute(method: HTTPMethod, path: string, config: RouteConfig, handler: (ctx: any) => unknown): void;
};

const JS = "application/javascript; charset=utf-8";
const swagger = {
  bundle: packageAsset("swagger-ui-dist", "swagger-ui-bundle.js", JS),
  css: packageAsset("swagger-ui-dist", "swagger-ui.css", "text/css; charset=utf-8"),
  favicon: packageAsset("swagger-ui-dist", "favicon-32x32.png", "image/png"),
  redirect: packageAsset("swagger-ui-dist", "oauth2-redirect.js", JS),
};
const redoc = packageAsset("redoc", "bundles/redoc.standalone.js", JS);
let swaggerInit: Asset | undefined;
let redocInit: Asset | undefined;

const documents = new WeakMap<OpenAPIDocument, Asset>();
const mounted = new WeakSet<object>();

function documentAsset(app: OpenAPIApp): Asset {
  const document = generateOpenAPI(app);
  let asset = documents.get(document);
  if (asset === undefined) {
    asset = makeAsset(Buffer.from(JSON.stringify(document)), "application/json");
    documents.set(document, asset);
  }
  return asset;
}

/** `/docs` + `/x.js` → `/docs/x.js`; a UI at `/` keeps its files at the top. */
const under = (base: string, file: string) => `${base === "/" ? "" : base}/${file}`;

type Handler = (ctx: RequestContext) => VeloxResponse;

/**
 * Registers the OpenAPI document and the interactive docs of an app as GET routes left out of
 * the document itself: the document at `openapiUrl` (`/openapi.json`), Swagger UI at `docsUrl`
 * (`/docs`) with its OAuth2 redirect page, and ReDoc at `redocUrl` (`/redoc`), each UI served from
 * its locally installed package (`swagger-ui-dist`, `redoc`), never from a CDN. A path the app
 * already routes is left alone, so an app can replace any page with its own. Velox calls this when
 * the app starts (`ready()`); calling it again does nothing. Operation ids are checked here, so a
 * clash fails at startup rather than on the first visit to the docs.
 *
 * @example
 * ```ts
 * const app = new Velox({ title: "Shop", openapi: { redocUrl: null } });
 * await app.ready(); // GET /openapi.json, /docs and /docs/oauth2-redirect now answer
 * ```
 */
export function mountDocs(app: DocsApp): void {
  if (mounted.has(app)) return;
  mounted.add(app);
  const options = resolveOpenAPIOptions(app.config);
  if (options.openapiUrl === null) return;
  checkOperationIds(app);
  const root = options.rootPath;
  const route = (path: string, handler: Handler) => {
    if (app.routes.some((r) => (r.method === "GET" || r.method === "HEAD") && r.template.template === path)) return;
    // The app's dependencies stay off the docs: a global auth dependency must not lock them (FastAPI).
    app.addInternalRoute("GET", path, { includeInSchema: false }, handler);
  };
  const asset = (path: string, get: () => Asset | null) =>
    route(path, ({ req }) => {
      const found = get();
      return found === null ? new JSONResponse({ detail: "Not Found" }, { status: 404 }) : assetResponse(req, found);
    });
  route(options.openapiUrl, ({ req }) => assetResponse(req, documentAsset(app), 0));

  if (options.docsUrl !== null) {
    const docs = options.docsUrl;
    const page = swaggerUiHtml({
      title: `${options.title} - Swagger UI`,
      openapiUrl: root + options.openapiUrl,
      assets: root + (docs === "/" ? "" : docs),
      oauth2RedirectUrl: options.swaggerUiOAuth2RedirectUrl === null ? null : root + options.swaggerUiOAuth2RedirectUrl,
      ...(options.swaggerUiParameters ? { parameters: options.swaggerUiParameters } : {}),
      ...(options.swaggerUiInitOAuth ? { initOAuth: options.swaggerUiInitOAuth } : {}),
    });
    route(docs, () =>
      swagger.bundle() === null
        ? new HTMLResponse(missingPackageHtml("Swagger UI", "swagger-ui-dist"), { status: 501 })
        : new HTMLResponse(page, { headers: { "cache-control": "no-cache" } }));
    asset(under(docs, "swagger-ui-bundle.js"), swagger.bundle);
    asset(under(docs, "swagger-ui.css"), swagger.css);
    asset(under(docs, "favicon-32x32.png"), swagger.favicon);
    asset(under(docs, "oauth2-redirect.js"), swagger.redirect);
    asset(under(docs, "velox-swagger-init.js"), () => (swaggerInit ??= makeAsset(Buffer.from(SWAGGER_INIT_JS), JS)));
    if (options.swaggerUiOAuth2RedirectUrl !== null) {
      const redirect = oauth2RedirectHtml(root + (docs === "/" ? "" : docs));
      route(options.swaggerUiOAuth2RedirectUrl, () => new HTMLResponse(redirect));
    }
  }

  if (options.redocUrl !== null) {
    const base = options.redocUrl;
    const page = redocHtml({
      title: `${options.title} - ReDoc`,
      openapiUrl: root + options.openapiUrl,
      assets: root + (base === "/" ? "" : base),
      ...(options.redocOptions ? { options: options.redocOptions } : {}),
    });
    route(base, () =>
      redoc() === null
        ? new HTMLResponse(missingPackageHtml("ReDoc", "redoc"), { status: 501 })
        : new HTMLResponse(page, { headers: { "cache-control": "no-cache" } }));
    asset(under(base, "redoc.standalone.js"), redoc);
    asset(under(base, "velox-redoc-init.js"), () => (redocInit ??= makeAsset(Buffer.from(REDOC_INIT_JS), JS)));
  }
}

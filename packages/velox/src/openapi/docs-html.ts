/**
 * The HTML of the interactive docs pages. Pages carry no inline script: their settings travel as
 * a JSON data block read by a small served script, so a `script-src 'self'` Content Security
 * Policy does not break them.
 */

/**
 * Escapes text for HTML content and attribute values.
 *
 * @example
 * ```ts
 * escapeHtml(`<b>"Shop"</b>`); // "&#60;b&#62;&#34;Shop&#34;&#60;/b&#62;"
 * ```
 */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** JSON that is safe inside a `<script type="application/json">` block. */
function jsonBlock(value: unknown): string {
  return JSON.stringify(value).replace(/</g, "\\u003c").replace(/>/g, "\\u003e").replace(/&/g, "\\u0026");
}

/**
 * Swagger UI settings FastAPI uses, which `swaggerUiParameters` can override.
 *
 * @example
 * ```ts
 * swaggerUiHtml({ ..., parameters: { ...SWAGGER_UI_DEFAULTS, deepLinking: false } });
 * ```
 */
export const SWAGGER_UI_DEFAULTS: Readonly<Record<string, unknown>> = Object.freeze({
  dom_id: "#swagger-ui",
  layout: "BaseLayout",
  deepLinking: true,
  showExtensions: true,
  showCommonExtensions: true,
});

/**
 * What the Swagger UI page needs.
 *
 * @example
 * ```ts
 * const page: SwaggerPage = { title: "Shop - Swagger UI", openapiUrl: "/openapi.json", assets: "/docs", oauth2RedirectUrl: null };
 * ```
 */
export interface SwaggerPage {
  title: string;
  /** URL of the OpenAPI document, including the root path. */
  openapiUrl: string;
  /** Base URL of the page's assets (`/docs`). */
  assets: string;
  /** Path of the OAuth2 redirect page, or null. */
  oauth2RedirectUrl: string | null;
  parameters?: Record<string, unknown>;
  initOAuth?: Record<string, unknown>;
}

/**
 * The Swagger UI page.
 *
 * @example
 * ```ts
 * swaggerUiHtml({ title: "Shop - Swagger UI", openapiUrl: "/openapi.json", assets: "/docs", oauth2RedirectUrl: "/docs/oauth2-redirect" });
 * ```
 */
export function swaggerUiHtml(page: SwaggerPage): string {
  const config = {
    url: page.openapiUrl,
    oauth2RedirectUrl: page.oauth2RedirectUrl,
    parameters: { ...SWAGGER_UI_DEFAULTS, ...(page.parameters ?? {}) },
    initOAuth: page.initOAuth ?? null,
  };
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(page.title)}</title>
<link rel="stylesheet" type="text/css" href="${escapeHtml(page.assets)}/swagger-ui.css">
<link rel="icon" type="image/png" href="${escapeHtml(page.assets)}/favicon-32x32.png">
</head>
<body>
<div id="swagger-ui"></div>
<script id="velox-docs-config" type="application/json">${jsonBlock(config)}</script>
<script src="${escapeHtml(page.assets)}/swagger-ui-bundle.js" charset="utf-8"></script>
<script src="${escapeHtml(page.assets)}/velox-swagger-init.js" charset="utf-8"></script>
</body>
</html>
`;
}

/**
 * Starts Swagger UI from the page's JSON settings (served as a file, not inline).
 *
 * @example
 * ```ts
 * app.get("/docs/velox-swagger-init.js", {}, () => new VeloxResponse(SWAGGER_INIT_JS, { headers: { "content-type": "application/javascript" } }));
 * ```
 */
export const SWAGGER_INIT_JS = `"use strict";
(function () {
  var config = JSON.parse(document.getElementById("velox-docs-config").textContent);
  var parameters = Object.assign({}, config.parameters, {
    url: config.url,
    presets: [SwaggerUIBundle.presets.apis, SwaggerUIBundle.SwaggerUIStandalonePreset],
  });
  if (config.oauth2RedirectUrl) parameters.oauth2RedirectUrl = window.location.origin + config.oauth2RedirectUrl;
  var ui = SwaggerUIBundle(parameters);
  if (config.initOAuth) ui.initOAuth(config.initOAuth);
  window.ui = ui;
})();
`;

/**
 * The page Swagger UI's OAuth2 popup returns to; the script comes from swagger-ui-dist.
 *
 * @example
 * ```ts
 * oauth2RedirectHtml("/docs"); // loads /docs/oauth2-redirect.js
 * ```
 */
export function oauth2RedirectHtml(assets: string): string {
  return `<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>Swagger UI: OAuth2 Redirect</title></head>
<body>
<script src="${escapeHtml(assets)}/oauth2-redirect.js"></script>
</body>
</html>
`;
}

/**
 * What the ReDoc page needs.
 *
 * @example
 * ```ts
 * const page: RedocPage = { title: "Shop - ReDoc", openapiUrl: "/openapi.json", assets: "/redoc", options: { hideDownloadButton: true } };
 * ```
 */
export interface RedocPage {
  title: string;
  openapiUrl: string;
  /** Base URL of the page's assets (`/redoc`). */
  assets: string;
  options?: Record<string, unknown>;
}

/**
 * The ReDoc page.
 *
 * @example
 * ```ts
 * redocHtml({ title: "Shop - ReDoc", openapiUrl: "/openapi.json", assets: "/redoc" });
 * ```
 */
export function redocHtml(page: RedocPage): string {
  const config = { url: page.openapiUrl, options: page.options ?? {} };
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(page.title)}</title>
<style>body { margin: 0; padding: 0; }</style>
</head>
<body>
<noscript>ReDoc requires JavaScript to function. Please enable it to browse the documentation.</noscript>
<div id="redoc-container"></div>
<script id="velox-docs-config" type="application/json">${jsonBlock(config)}</script>
<script src="${escapeHtml(page.assets)}/redoc.standalone.js" charset="utf-8"></script>
<script src="${escapeHtml(page.assets)}/velox-redoc-init.js" charset="utf-8"></script>
</body>
</html>
`;
}

/**
 * Starts ReDoc from the page's JSON settings.
 *
 * @example
 * ```ts
 * app.get("/redoc/velox-redoc-init.js", {}, () => new VeloxResponse(REDOC_INIT_JS, { headers: { "content-type": "application/javascript" } }));
 * ```
 */
export const REDOC_INIT_JS = `"use strict";
(function () {
  var config = JSON.parse(document.getElementById("velox-docs-config").textContent);
  Redoc.init(config.url, config.options, document.getElementById("redoc-container"));
})();
`;

/**
 * The page served in place of a docs UI whose package is not installed.
 *
 * @example
 * ```ts
 * missingPackageHtml("ReDoc", "redoc");
 * ```
 */
export function missingPackageHtml(ui: string, pkg: string): string {
  return `<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>${escapeHtml(ui)} is not installed</title></head>
<body>
<h1>${escapeHtml(ui)} is not installed</h1>
<p>Velox serves ${escapeHtml(ui)} from the <code>${escapeHtml(pkg)}</code> package. Install it with <code>npm install ${escapeHtml(pkg)}</code>, or turn this page off in the app's <code>openapi</code> options.</p>
</body>
</html>
`;
}

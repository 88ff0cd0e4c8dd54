/**
 * Every app in the repository — the rich test app, each example and the reference app — must
 * produce a document that an independent validator accepts and that openapi-typescript turns into
 * types that compile.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { generateOpenAPI, type OpenAPIDocument } from "../../src/index.ts";
import { isOpenAPIApp, loadApp } from "../../src/openapi/load-app.ts";
import type { OpenAPIApp } from "../../src/openapi/generate.ts";
import { createRichApp } from "./rich-app.ts";
import { REPO, clientTypes, openapiProblems, typeCheck } from "./tools.ts";

/** Examples whose module exports a factory with arguments: how to build a documentable app. */
const FACTORIES: Record<string, (module: Record<string, any>) => unknown> = {
  "oauth2-jwt": (module) => module.createApp({ users: new Map(), jwtSecret: "x".repeat(64) }),
  observability: (module) => module.buildApp({ adminKey: "k", logger: { error() {}, warn() {}, info() {} } }).app,
};

/** Example folders with an HTTP app (a module that creates a Velox app). */
function exampleApps(): { name: string; file: string }[] {
  const root = join(REPO, "examples");
  return readdirSync(root, { withFileTypes: true })
    .filter((d) => d.isDirectory() && d.name !== "node_modules")
    .map((d) => ({ name: d.name, file: join(root, d.name, "app.ts") }))
    .filter(({ name }) =>
      readdirSync(join(root, name)).some((f) => f.endsWith(".ts") && !f.includes(".test") && readFileSync(join(root, name, f), "utf8").includes("new Velox(")),
    );
}

async function appOf(name: string, file: string): Promise<OpenAPIApp> {
  const factory = FACTORIES[name];
  if (factory) {
    const app = factory(await import(pathToFileURL(file).href));
    if (!isOpenAPIApp(app)) throw new Error(`examples/${name}: the factory did not return an app`);
    return app;
  }
  if (!existsSync(file)) throw new Error(`examples/${name}: export the app as "app" from app.ts, or add a factory to ${import.meta.url}`);
  return loadApp(file);
}

const documents: { name: string; document: OpenAPIDocument }[] = [{ name: "rich", document: generateOpenAPI(createRichApp()) }];

describe("every app's document passes @readme/openapi-parser", () => {
  it("the rich test app", async () => {
    expect(await openapiProblems(documents[0]!.document)).toBe("");
  });

  for (const { name, file } of exampleApps()) {
    it(`examples/${name}`, async () => {
      const document = generateOpenAPI(await appOf(name, file));
      expect(Object.keys(document.paths).length).toBeGreaterThan(0);
      expect(await openapiProblems(document)).toBe("");
      documents.push({ name, document });
    });
  }

  it("apps/reference", async (ctx) => {
    const file = join(REPO, "apps/reference/src/app.ts");
    const harness = join(REPO, "apps/reference/src/testing/app-harness.ts");
    const module = existsSync(file) ? ((await import(pathToFileURL(file).href)) as Record<string, any>) : {};
    const settings = existsSync(harness) ? ((await import(pathToFileURL(harness).href)) as Record<string, any>).testSettings : undefined;
    // Building the reference app opens nothing: its lifespan connects the database at startup.
    const candidate = module.app ?? (typeof module.createApp === "function" && typeof settings === "function" ? module.createApp({ settings: settings(), logger: false }) : undefined);
    if (!isOpenAPIApp(candidate)) {
      console.warn("SKIPPED apps/reference: no `app` export, nor `createApp` plus `testSettings` in testing/app-harness.ts");
      ctx.skip();
      return;
    }
    const document = generateOpenAPI(candidate);
    expect(await openapiProblems(document)).toBe("");
    documents.push({ name: "reference", document });
  });
});

describe("openapi-typescript makes compiling types of every document", () => {
  it("generates and type-checks them all", async () => {
    const files: Record<string, string> = {};
    for (const { name, document } of documents) files[`${name.replace(/[^a-z0-9]+/gi, "-")}.ts`] = await clientTypes(document);
    expect(Object.keys(files).length).toBeGreaterThan(1);
    const result = await typeCheck("openapi-types-all", files);
    expect(result.output).toBe("");
    expect(result.ok).toBe(true);
  }, 120_000);
});

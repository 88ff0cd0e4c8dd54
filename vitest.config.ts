import { defaultClientConditions, defaultServerConditions } from "vite";
import { defineConfig } from "vitest/config";

// `velox-source` makes `velox` and `velox/*` resolve to packages/velox/src instead of dist/
// (docs/packaging.md), so the tests run the TypeScript sources without a build.
const SOURCE = "velox-source";
// Without "module": packages whose "module" build is for bundlers only (extensionless imports, as
// in @opentelemetry/api's build/esm) must load the way Node loads them.
const nodeLike = (conditions: readonly string[]) => conditions.filter((c) => c !== "module");

export default defineConfig({
  resolve: { conditions: [SOURCE, ...nodeLike(defaultClientConditions)] },
  ssr: { resolve: { conditions: [SOURCE, ...nodeLike(defaultServerConditions)] } },
  test: {
    include: ["packages/*/src/**/*.test.ts", "packages/*/test/**/*.test.ts", "apps/*/src/**/*.test.ts", "apps/*/test/**/*.test.ts", "examples/**/*.test.ts", "bench/**/*.test.ts"],
    exclude: ["**/node_modules/**"],
    typecheck: { enabled: true, include: ["**/*.test-d.ts"], tsconfig: "./tsconfig.json" },
    testTimeout: 20_000,
    hookTimeout: 30_000,
  },
});

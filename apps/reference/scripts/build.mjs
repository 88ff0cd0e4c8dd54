// `npm run build -w apps/reference`: compiles the app to JavaScript in apps/reference/dist/, so
// production runs `node dist/main.js` with no TypeScript loader. `velox` is bundled from its
// sources (the `velox-source` condition); every other package stays an import of node_modules,
// which is what `npm ci --omit=dev` installs in the image.
import { build } from "esbuild";
import { fileURLToPath } from "node:url";

const appDir = fileURLToPath(new URL("..", import.meta.url));
const outdir = process.argv[2] ?? `${appDir}/dist`;

/** Bare imports other than velox are left to Node at run time. */
const keepPackagesExternal = {
  name: "keep-packages-external",
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (args) => (args.path === "velox" || args.path.startsWith("velox/") ? undefined : { path: args.path, external: true }));
  },
};

await build({
  absWorkingDir: appDir,
  entryPoints: ["src/main.ts", "src/entry.ts", "src/velox-app.ts", "src/db/migrate-cli.ts", "src/cli/seed.ts"],
  outdir,
  outbase: "src",
  bundle: true,
  splitting: true,
  platform: "node",
  format: "esm",
  target: "node20",
  conditions: ["velox-source"],
  sourcemap: true,
  plugins: [keepPackagesExternal],
  logLevel: "warning",
});

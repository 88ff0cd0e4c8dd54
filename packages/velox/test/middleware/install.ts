import type { Velox } from "../../src/index.ts";
import type { MiddlewarePlugin } from "../../src/middleware/hook-types.ts";

/** Registers middleware plugins on an app, in order (what `app.register(a).register(b)` does). */
export function install(app: Velox, ...plugins: MiddlewarePlugin[]): Velox {
  for (const plugin of plugins) app.register(plugin);
  return app;
}

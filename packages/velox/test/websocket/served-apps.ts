import { afterEach } from "vitest";
import type { Velox } from "../../src/index.ts";
import { serve, type ServerHandle } from "../../src/server/index.ts";

/**
 * Apps served by `velox/server` on a free loopback port for one test file, each shut down after
 * its test.
 *
 * @example
 * ```ts
 * const { start, startPort } = useServedApps();
 * const port = await startPort(app);
 * ```
 */
export function useServedApps(): { start(app: Velox): Promise<ServerHandle>; startPort(app: Velox): Promise<number> } {
  const handles: ServerHandle[] = [];
  afterEach(async () => {
    await Promise.all(handles.splice(0).map((h) => h.shutdown()));
  });
  const start = async (app: Velox): Promise<ServerHandle> => {
    const handle = await serve(app, { host: "127.0.0.1", port: 0, workers: 0, handleSignals: false, shutdownTimeoutMs: 3000 });
    handles.push(handle);
    return handle;
  };
  return { start, startPort: async (app) => (await start(app)).port };
}

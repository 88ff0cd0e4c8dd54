import { Velox } from "velox";
import { compress } from "velox/middleware/compress";
import { cors } from "velox/middleware/cors";
import { requestId } from "velox/middleware/request-id";
import { securityHeaders } from "velox/middleware/security-headers";
import { timing } from "velox/middleware/timing";
import { trustedHost } from "velox/middleware/trusted-host";
import { z } from "zod";

/** The standard middleware of a production API, in the order they should run. */
export function createApp(): Velox {
  const app = new Velox({ title: "Middleware stack", logger: false });
  app
    .register(trustedHost({ allowedHosts: ["api.example.com", "localhost", "127.0.0.1"] }))
    .register(requestId())
    .register(timing({ header: "x-process-time", slowMs: 500 }))
    .register(cors({ allowOrigins: ["http://localhost:3000"], allowMethods: ["*"], allowHeaders: ["*"], allowCredentials: true, exposeHeaders: ["x-request-id"] }))
    .register(securityHeaders())
    .register(compress());

  const Item = z.object({ id: z.int(), name: z.string() });
  const items = Array.from({ length: 100 }, (_, i) => ({ id: i, name: `item ${i}` }));
  app.get("/items", { response: z.array(Item) }, () => items);
  app.put("/items/{id}", { path: { id: z.int() }, body: Item.omit({ id: true }), response: Item }, ({ path, body }) => ({ id: path.id, ...body }));
  return app;
}

/** The app, for `velox dev examples/middleware-stack/app.ts` and the docs checks. */
export const app = createApp();

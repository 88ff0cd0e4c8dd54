import type { IncomingMessage } from "node:http";
import { describe, expectTypeOf, it } from "vitest";
import { Velox } from "../index.ts";
import { clientAddress, serve, type ReadinessCheck, type ServeOptions, type ServerHandle } from "./index.ts";

describe("velox/server types", () => {
  it("serve() takes a Velox app and options and returns a handle", () => {
    const app = new Velox();
    expectTypeOf(serve(app, { workers: 2 })).toEqualTypeOf<Promise<ServerHandle>>();
    expectTypeOf<ServerHandle["role"]>().toEqualTypeOf<"single" | "primary" | "worker">();
    // @ts-expect-error workers is a number
    void serve(app, { workers: "2" });
    // @ts-expect-error probe paths are strings or false
    void serve(app, { healthPath: true });
  });

  it("options accept every trustProxy form and readiness checks", () => {
    expectTypeOf<{ trustProxy: 1 }>().toMatchTypeOf<ServeOptions>();
    expectTypeOf<{ trustProxy: ["loopback"] }>().toMatchTypeOf<ServeOptions>();
    expectTypeOf<{ trustProxy: (address: string, hop: number) => boolean }>().toMatchTypeOf<ServeOptions>();
    expectTypeOf<ReadinessCheck["check"]>().parameter(0).toEqualTypeOf<AbortSignal>();
  });

  it("clientAddress reads a node request", () => {
    expectTypeOf(clientAddress).parameter(0).toEqualTypeOf<IncomingMessage>();
    expectTypeOf(clientAddress).returns.toEqualTypeOf<string>();
  });
});

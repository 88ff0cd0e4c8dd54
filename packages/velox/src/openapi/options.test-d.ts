import { describe, expectTypeOf, it } from "vitest";
import { z } from "zod";
import { Velox, type VeloxOptions } from "../index.ts";
import { generateOpenAPI } from "./generate.ts";
import type { OpenAPIOptions, OperationIdRoute } from "./options.ts";
import type { OpenAPIDocument } from "./types.ts";
import { Webhooks } from "./webhooks.ts";

describe("OpenAPI option types", () => {
  it("types the app's openapi option", () => {
    expectTypeOf<NonNullable<VeloxOptions["openapi"]>>().toEqualTypeOf<OpenAPIOptions>();
    new Velox({ openapi: { docsUrl: null, redocUrl: "/api/redoc", tags: [{ name: "items", description: "Items" }] } });
    // @ts-expect-error URLs are strings or null
    new Velox({ openapi: { docsUrl: false } });
    // @ts-expect-error tags need a name
    new Velox({ openapi: { tags: [{ description: "no name" }] } });
  });

  it("gives generateOperationId what it needs and wants a string back", () => {
    expectTypeOf<Parameters<NonNullable<OpenAPIOptions["generateOperationId"]>>[0]>().toEqualTypeOf<OperationIdRoute>();
    // @ts-expect-error must return a string
    new Velox({ openapi: { generateOperationId: () => 1 } });
  });

  it("checks webhook configs and returns a typed document", () => {
    new Webhooks().post("created", { body: z.object({ id: z.int() }), headers: { x_signature: z.string() } });
    // @ts-expect-error webhooks take known methods only
    new Webhooks().add("TRACE", "x", {});
    expectTypeOf(generateOpenAPI(new Velox())).toEqualTypeOf<OpenAPIDocument>();
    expectTypeOf(generateOpenAPI(new Velox()).openapi).toEqualTypeOf<"3.1.0">();
  });
});

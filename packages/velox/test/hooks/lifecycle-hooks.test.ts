import { describe, expect, it } from "vitest";
import { Velox } from "../../src/index.ts";
import { TestClient } from "../../src/testing/index.ts";

describe("lifecycle hooks", () => {
  it("runs onReady after the lifespan started, preClose then onClose (reverse) before the lifespan's cleanup", async () => {
    const seen: string[] = [];
    const app = new Velox({
      logger: false,
      lifespan: async function* () {
        seen.push("lifespan start");
        yield;
        seen.push("lifespan end");
      },
    });
    app.addHook("onReady", () => void seen.push("onReady"));
    app.addHook("preClose", (a) => void seen.push(`preClose ${a.shutdownSignal.aborted}`));
    app.addHook("onClose", () => void seen.push("onClose 1"));
    app.addHook("onClose", async () => void seen.push("onClose 2"));
    app.get("/", {}, () => "ok");
    const client = new TestClient(app);
    await client.get("/");
    expect(seen).toEqual(["lifespan start", "onReady"]);
    expect(app.shutdownSignal.aborted).toBe(false);
    await client.close();
    expect(seen).toEqual(["lifespan start", "onReady", "preClose true", "onClose 2", "onClose 1", "lifespan end"]);
  });

  it("runs preClose once even when called before close", async () => {
    let calls = 0;
    const app = new Velox({ logger: false });
    app.addHook("preClose", () => void calls++);
    await app.ready();
    await app.preClose();
    await app.close();
    expect(calls).toBe(1);
  });

  it("applies a plugin with register", async () => {
    const app = new Velox({ logger: false });
    app.register((a) => {
      a.get("/plugin", {}, () => "from plugin");
      a.addHook("onSend", (_ctx, res) => void res.setHeader("x-plugin", "1"));
    });
    const res = await new TestClient(app).get("/plugin");
    expect(res.json()).toBe("from plugin");
    expect(res.headers["x-plugin"]).toBe("1");
  });
});

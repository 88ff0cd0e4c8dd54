import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { loadApp, splitModuleSpec } from "./load-app.ts";

const fixtures = fileURLToPath(new URL("../../../test/server/fixtures/", import.meta.url));

describe("splitModuleSpec", () => {
  it("splits an export name off, but not a drive letter", () => {
    expect(splitModuleSpec("src/main.ts:api")).toEqual({ file: "src/main.ts", exportName: "api" });
    expect(splitModuleSpec("src/main.ts")).toEqual({ file: "src/main.ts", exportName: null });
    expect(splitModuleSpec("C:\\app\\main.ts")).toEqual({ file: "C:\\app\\main.ts", exportName: null });
  });
});

describe("loadApp", () => {
  it("finds the default export, or a named one", async () => {
    expect(typeof (await loadApp("app.ts", fixtures)).handler).toBe("function");
    expect(typeof (await loadApp("named.ts:api", fixtures)).ready).toBe("function");
  });

  it("names the problem when there is no app or no file", async () => {
    await expect(loadApp("no-app.ts", fixtures)).rejects.toMatchObject({ code: "VX_APP_NOT_FOUND", message: expect.stringContaining("has no Velox app") });
    await expect(loadApp("named.ts:missing", fixtures)).rejects.toThrow(/export named "missing"/);
    await expect(loadApp("nowhere.ts", fixtures)).rejects.toThrow(/no such module/);
  });
});

import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateOpenAPI } from "../../src/index.ts";
import { writeOpenAPI } from "../../src/openapi/cli.ts";
import { createRichApp } from "./rich-app.ts";
import { REPO } from "./tools.ts";

describe("writeOpenAPI (velox openapi <module> [--out file])", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "velox-openapi-"));
    const source = join(REPO, "packages/velox/test/openapi/rich-app.ts");
    await writeFile(join(dir, "factory.ts"), `import { createRichApp } from ${JSON.stringify(source)};\nexport const make = () => createRichApp();\n`);
    await writeFile(join(dir, "two.ts"), `import { createRichApp } from ${JSON.stringify(source)};\nexport const a = createRichApp();\nexport const b = createRichApp();\n`);
    await writeFile(join(dir, "none.ts"), "export const answer = 42;\n");
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it("writes an example's document to a file, creating folders", async () => {
    const out = join(dir, "out/nested/openapi.json");
    const document = await writeOpenAPI("examples/openapi-basic/app.ts", out, { cwd: REPO });
    const written = await readFile(out, "utf8");
    expect(written.endsWith("}\n")).toBe(true);
    expect(JSON.parse(written)).toEqual(JSON.parse(JSON.stringify(document)));
    expect(document.info.title).toBe("Items API");
  });

  it("writes to stdout without a file, and names exports with #", async () => {
    let text = "";
    const document = await writeOpenAPI(`${join(dir, "factory.ts")}#make`, undefined, { stdout: { write: (chunk: string) => (text += chunk) } });
    expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify(generateOpenAPI(createRichApp()))));
    expect(document.openapi).toBe("3.1.0");
  });

  it("explains what is wrong with a module", async () => {
    await expect(writeOpenAPI(join(dir, "none.ts"))).rejects.toThrow(/exports no Velox app/);
    await expect(writeOpenAPI(join(dir, "two.ts"))).rejects.toThrow(/several Velox apps.*#exportName/);
    await expect(writeOpenAPI(`${join(dir, "two.ts")}#b`, undefined, { stdout: { write: () => true } })).resolves.toMatchObject({ openapi: "3.1.0" });
    await expect(writeOpenAPI(`${join(dir, "none.ts")}#answer`)).rejects.toThrow(/"answer" is not a Velox app/);
  });
});

/** The independent tools the OpenAPI tests check documents with. */
import { execFile } from "node:child_process";
import { mkdir, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { compileErrors, validate } from "@readme/openapi-parser";
import openapiTS, { astToString } from "openapi-typescript";
import type { OpenAPIDocument } from "../../src/index.ts";

const here = dirname(fileURLToPath(import.meta.url));
/** The repository root. */
export const REPO = resolve(here, "../../../..");
/** Gitignored folder for test artifacts people look at (screenshots). */
export const ARTIFACTS = join(REPO, "test-artifacts");
/** Gitignored folder for generated TypeScript: under node_modules, so neither git nor ESLint sees it. */
export const GENERATED = join(REPO, "node_modules/.cache/velox-openapi-tests");

/** The validator's complaints about a document, or "" when it is a valid OpenAPI 3.1 document. */
export async function openapiProblems(document: OpenAPIDocument): Promise<string> {
  // The validator dereferences in place: give it a copy.
  const result = await validate(structuredClone(document) as never);
  return result.valid ? "" : compileErrors(result);
}

/**
 * TypeScript declarations for a document, from openapi-typescript. Defaults do not make a field
 * required: Velox documents the response form separately (`-Output`), where they are.
 */
export async function clientTypes(document: OpenAPIDocument): Promise<string> {
  return astToString(await openapiTS(structuredClone(document) as never, { defaultNonNullable: false }));
}

const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");

/** A strict TypeScript project in a fresh folder under {@link GENERATED}, type-checked with tsc. */
export async function typeCheck(name: string, files: Record<string, string>): Promise<{ ok: boolean; output: string; dir: string }> {
  const dir = join(GENERATED, name);
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  const tsconfig = {
    compilerOptions: {
      target: "ES2022",
      module: "NodeNext",
      moduleResolution: "NodeNext",
      strict: true,
      noEmit: true,
      allowImportingTsExtensions: true,
      skipLibCheck: true,
      types: ["node"],
      lib: ["ES2023", "DOM"],
    },
    include: ["*.ts"],
  };
  await writeFile(join(dir, "tsconfig.json"), JSON.stringify(tsconfig, null, 2));
  await writeFile(join(dir, "package.json"), '{ "type": "module" }\n');
  for (const [file, text] of Object.entries(files)) await writeFile(join(dir, file), text);
  try {
    const { stdout } = await promisify(execFile)(process.execPath, [tsc, "-p", dir], { cwd: dir });
    return { ok: true, output: stdout, dir };
  } catch (error) {
    const failed = error as { stdout?: string; stderr?: string };
    return { ok: false, output: `${failed.stdout ?? ""}${failed.stderr ?? ""}`, dir };
  }
}

/**
 * The static import graph of packages/velox/src, parsed with TypeScript (no type checking):
 * enough to know which modules and packages an entry point loads.
 */
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";

export const PACKAGE_DIR = fileURLToPath(new URL("../../", import.meta.url));
export const SRC = join(PACKAGE_DIR, "src");

export interface ImportEdge {
  specifier: string;
  /** Absolute path for relative specifiers, else null (a package). */
  target: string | null;
  /** `import type` / `export type ... from`: erased, never loaded. */
  typeOnly: boolean;
  /** `import("...")`: loaded on first use, not with the module. */
  dynamic: boolean;
}

/** Every shipped module: `.ts` under src/, tests excluded (they are not in the package). */
export function shippedModules(dir = SRC): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return shippedModules(path);
    return entry.name.endsWith(".ts") && !/\.test(-d)?\.ts$/.test(entry.name) ? [path] : [];
  });
}

export function importsOf(file: string): ImportEdge[] {
  const source = ts.createSourceFile(file, readFileSync(file, "utf8"), ts.ScriptTarget.Latest, true);
  const edges: ImportEdge[] = [];
  const add = (specifier: string, typeOnly: boolean, dynamic: boolean) =>
    edges.push({ specifier, target: specifier.startsWith(".") ? resolve(dirname(file), specifier) : null, typeOnly, dynamic });
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      add(node.moduleSpecifier.text, node.importClause?.isTypeOnly === true, false);
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      add(node.moduleSpecifier.text, node.isTypeOnly, false);
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      const [arg] = node.arguments;
      if (arg && ts.isStringLiteralLike(arg)) add(arg.text, false, true);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return edges;
}

/** The package name of a bare specifier: `@scope/name/x` → `@scope/name`, `node:fs` → null. */
export function packageName(specifier: string): string | null {
  if (specifier.startsWith("node:") || specifier.startsWith(".")) return null;
  const parts = specifier.split("/");
  return specifier.startsWith("@") ? parts.slice(0, 2).join("/") : parts[0]!;
}

export interface Loaded {
  /** Module → the module that first loaded it (for the chain in a failure message). */
  modules: Map<string, string | null>;
  /** Package → the module that imports it. */
  packages: Map<string, string>;
}

/** What importing `entry` loads at once: static, non-type-only imports, transitively. */
export function loadedBy(entry: string): Loaded {
  const modules = new Map<string, string | null>([[entry, null]]);
  const packages = new Map<string, string>();
  const queue = [entry];
  while (queue.length > 0) {
    const file = queue.shift()!;
    for (const edge of importsOf(file)) {
      if (edge.typeOnly || edge.dynamic) continue;
      if (edge.target === null) {
        const name = packageName(edge.specifier);
        if (name !== null && !packages.has(name)) packages.set(name, file);
      } else if (!modules.has(edge.target)) {
        modules.set(edge.target, file);
        queue.push(edge.target);
      }
    }
  }
  return { modules, packages };
}

/** `src/index.ts ← src/server/x.ts ← src/server/index.ts`, for failure messages. */
export function chain(loaded: Loaded, module: string): string {
  const steps: string[] = [];
  for (let at: string | null | undefined = module; at; at = loaded.modules.get(at)) steps.push(relative(PACKAGE_DIR, at));
  return steps.join(" ← ");
}

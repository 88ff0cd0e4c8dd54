import { Parser } from "@asyncapi/parser";

/** Errors (severity 0) the independent AsyncAPI parser reports for a document. */
export async function asyncapiErrors(doc: unknown): Promise<string[]> {
  const parser = new Parser();
  const diagnostics = await parser.validate(JSON.stringify(doc));
  return diagnostics.filter((d) => d.severity === 0).map((d) => `${d.path.join(".")}: ${d.message}`);
}

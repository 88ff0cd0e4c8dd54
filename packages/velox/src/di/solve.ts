import type { RequestContext } from "../context.ts";
import type { ErrorDetail } from "../http-exception.ts";
import type { ParamLocation, RawSource } from "../params/extract.ts";
import type { DepGraph, DepNode } from "./analyze.ts";
import type { AppScope } from "./app-scope.ts";
import { DependencyCallContext } from "./dependency-context.ts";
import { ExitStack } from "./exit-stack.ts";

/** The raw request inputs, read once per request and shared by the route and its dependencies. */
export interface RawInputs {
  path: RawSource;
  query: RawSource;
  headers: RawSource;
  cookies(): RawSource;
  form: RawSource | null;
  /** The parsed JSON body (`undefined` when absent). */
  json: unknown;
}

const CONTEXT_KEY: Record<ParamLocation, string> = { path: "path", query: "query", header: "headers", cookie: "cookies", form: "form" };

/** Where a request keeps the cleanups of its generator dependencies. */
export interface HasExitStack {
  _exit: ExitStack | null;
}

function sourceFor(inputs: RawInputs, location: ParamLocation): RawSource {
  switch (location) {
    case "path": return inputs.path;
    case "query": return inputs.query;
    case "header": return inputs.headers;
    case "cookie": return inputs.cookies();
    case "form": return inputs.form ?? {};
  }
}

async function enterGenerator(node: DepNode, out: unknown, ctx: RequestContext & HasExitStack): Promise<unknown> {
  const iterator = out as AsyncIterator<unknown>;
  const exit = (ctx._exit ??= new ExitStack());
  const first = await iterator.next();
  exit.push(iterator, node.scope);
  return first.value;
}

/**
 * Runs a route's dependencies in resolution order. A dependency whose own parameters fail
 * validation is not called (nor anything needing it); its errors join `errors` so the client gets
 * every problem at once, as in FastAPI. Returns the values by slot.
 */
export async function solveDependencies(
  graph: DepGraph,
  ctx: RequestContext & HasExitStack,
  inputs: RawInputs,
  appScope: AppScope,
  errors: ErrorDetail[],
): Promise<unknown[]> {
  const values: unknown[] = new Array(graph.slots);
  const failed: boolean[] = new Array(graph.slots).fill(false);
  for (const node of graph.nodes) {
    let bad = false;
    for (const [, slot] of node.subs) if (failed[slot]) bad = true;
    for (const slot of node.after) if (failed[slot]) bad = true;
    if (node.scope === "app") {
      if (bad) {
        failed[node.slot] = true;
        continue;
      }
      const subs: Record<string, unknown> = {};
      for (const [name, slot] of node.subs) subs[name] = values[slot];
      values[node.slot] = await appScope.get(node, subs);
      continue;
    }
    const call = new DependencyCallContext(ctx, node.securityScopes);
    for (const source of node.sources) {
      let result = source.run(sourceFor(inputs, source.location), ctx.req);
      if (result instanceof Promise) result = await result;
      if (result.errors) {
        errors.push(...result.errors);
        bad = true;
      } else call[CONTEXT_KEY[source.location]] = result.value;
    }
    if (node.body) {
      let checked = node.body(inputs.json, ["body"]);
      if (checked instanceof Promise) checked = await checked;
      if (checked.errors) {
        errors.push(...checked.errors);
        bad = true;
      } else call.body = checked.value;
    }
    if (bad) {
      failed[node.slot] = true;
      continue;
    }
    for (const [name, slot] of node.subs) call[name] = values[slot];
    const out = node.fn(call);
    if (node.kind !== "plain") values[node.slot] = await enterGenerator(node, out, ctx);
    else values[node.slot] = out instanceof Promise ? await out : out;
  }
  return values;
}

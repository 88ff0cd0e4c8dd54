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

interface SolveState {
  values: unknown[];
  failed: boolean[];
}

/** Validates a dependency's own parameters into its call context; false when any failed. */
function validateParams(node: DepNode, call: DependencyCallContext, inputs: RawInputs, ctx: RequestContext, errors: ErrorDetail[]): boolean | Promise<boolean> {
  let ok = true;
  let pending: Promise<void>[] | null = null;
  for (const source of node.sources) {
    const key = CONTEXT_KEY[source.location];
    const result = source.run(sourceFor(inputs, source.location), ctx.req);
    if (result instanceof Promise) {
      (pending ??= []).push(result.then((r) => {
        if (r.errors) {
          errors.push(...r.errors);
          ok = false;
        } else call[key] = r.value;
      }));
    } else if (result.errors) {
      errors.push(...result.errors);
      ok = false;
    } else call[key] = result.value;
  }
  if (node.body) {
    const checked = node.body(inputs.json, ["body"]);
    if (checked instanceof Promise) {
      (pending ??= []).push(checked.then((c) => {
        if (c.errors) {
          errors.push(...c.errors);
          ok = false;
        } else call.body = c.value;
      }));
    } else if (checked.errors) {
      errors.push(...checked.errors);
      ok = false;
    } else call.body = checked.value;
  }
  if (pending) return Promise.all(pending).then(() => ok);
  return ok;
}

/** Calls a dependency whose inputs are ready; returns a promise only when it is asynchronous. */
function callNode(node: DepNode, call: DependencyCallContext, ok: boolean, state: SolveState, ctx: RequestContext & HasExitStack): void | Promise<void> {
  if (!ok) {
    state.failed[node.slot] = true;
    return;
  }
  for (const [name, slot] of node.subs) call[name] = state.values[slot];
  const out = node.fn(call);
  if (node.kind !== "plain") {
    return enterGenerator(node, out, ctx).then((v) => {
      state.values[node.slot] = v;
    });
  }
  if (out instanceof Promise) {
    return out.then((v) => {
      state.values[node.slot] = v;
    });
  }
  state.values[node.slot] = out;
}

function step(node: DepNode, state: SolveState, ctx: RequestContext & HasExitStack, inputs: RawInputs, appScope: AppScope, errors: ErrorDetail[]): void | Promise<void> {
  let bad = false;
  for (const [, slot] of node.subs) if (state.failed[slot]) bad = true;
  for (const slot of node.after) if (state.failed[slot]) bad = true;
  if (node.scope === "app") {
    if (bad) {
      state.failed[node.slot] = true;
      return;
    }
    const ready = appScope.peek(node);
    if (ready) {
      state.values[node.slot] = ready.value;
      return;
    }
    const subs: Record<string, unknown> = {};
    for (const [name, slot] of node.subs) subs[name] = state.values[slot];
    return appScope.get(node, subs).then((v) => {
      state.values[node.slot] = v;
    });
  }
  const call = new DependencyCallContext(ctx, node.securityScopes);
  const ok = validateParams(node, call, inputs, ctx, errors);
  if (ok instanceof Promise) return ok.then((valid) => callNode(node, call, valid && !bad, state, ctx));
  return callNode(node, call, ok && !bad, state, ctx);
}

function runFrom(start: number, graph: DepGraph, state: SolveState, ctx: RequestContext & HasExitStack, inputs: RawInputs, appScope: AppScope, errors: ErrorDetail[]): unknown[] | Promise<unknown[]> {
  const nodes = graph.nodes;
  for (let i = start; i < nodes.length; i++) {
    const pending = step(nodes[i]!, state, ctx, inputs, appScope, errors);
    if (pending !== undefined) return pending.then(() => runFrom(i + 1, graph, state, ctx, inputs, appScope, errors));
  }
  return state.values;
}

/**
 * Runs a route's dependencies in resolution order — synchronously as long as every dependency
 * is, so a chain of plain functions costs no promise. A dependency whose own parameters fail
 * validation is not called (nor anything needing it); its errors join `errors` so the client gets
 * every problem at once, as in FastAPI. Returns the values by slot.
 */
export function solveDependencies(
  graph: DepGraph,
  ctx: RequestContext & HasExitStack,
  inputs: RawInputs,
  appScope: AppScope,
  errors: ErrorDetail[],
): unknown[] | Promise<unknown[]> {
  const state: SolveState = { values: new Array(graph.slots), failed: new Array(graph.slots).fill(false) };
  return runFrom(0, graph, state, ctx, inputs, appScope, errors);
}

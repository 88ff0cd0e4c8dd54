import type { RequestContext } from "../context.ts";
import type { ErrorDetail } from "../http-exception.ts";
import { extractInputs } from "../params/extract-inputs.ts";
import type { DepGraph, DepNode } from "./analyze.ts";
import type { AppScope } from "./app-scope.ts";
import { DependencyCallContext } from "./dependency-context.ts";
import { ExitStack } from "./exit-stack.ts";

async function enterGenerator(node: DepNode, out: unknown, ctx: RequestContext): Promise<unknown> {
  const iterator = out as AsyncIterator<unknown>;
  const exit = (ctx._exit ??= new ExitStack());
  const first = await iterator.next();
  exit.push(iterator, node.scope);
  return first.value;
}

interface SolveState {
  values: unknown[];
  failed: boolean[];
  errors: ErrorDetail[];
}

/** Calls a dependency whose inputs are ready; returns a promise only when it is asynchronous. */
function callNode(node: DepNode, call: DependencyCallContext, errors: ErrorDetail[] | null, bad: boolean, state: SolveState, ctx: RequestContext): void | Promise<void> {
  if (errors !== null) for (const e of errors) state.errors.push(e);
  if (errors !== null || bad) {
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

function step(node: DepNode, state: SolveState, ctx: RequestContext, appScope: AppScope): void | Promise<void> {
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
  const errors = extractInputs(node, ctx, call);
  if (errors instanceof Promise) return errors.then((errs) => callNode(node, call, errs, bad, state, ctx));
  return callNode(node, call, errors, bad, state, ctx);
}

function runFrom(start: number, graph: DepGraph, state: SolveState, ctx: RequestContext, appScope: AppScope): unknown[] | Promise<unknown[]> {
  const nodes = graph.nodes;
  for (let i = start; i < nodes.length; i++) {
    const pending = step(nodes[i]!, state, ctx, appScope);
    if (pending !== undefined) return pending.then(() => runFrom(i + 1, graph, state, ctx, appScope));
  }
  return state.values;
}

/**
 * Runs a graph's dependencies in resolution order — synchronously as long as every dependency
 * is, so a chain of plain functions costs no promise. A dependency whose own parameters fail
 * validation is not called (nor anything needing it); its errors join `errors` so the client gets
 * every problem at once, as in FastAPI. Returns the values by slot.
 *
 * @example
 * ```ts
 * const errors: ErrorDetail[] = [];
 * const values = solveDependencies(plan.graph, ctx, appScope, errors);
 * ```
 */
export function solveDependencies(graph: DepGraph, ctx: RequestContext, appScope: AppScope, errors: ErrorDetail[]): unknown[] | Promise<unknown[]> {
  const state: SolveState = { values: new Array(graph.slots), failed: new Array(graph.slots).fill(false), errors };
  return runFrom(0, graph, state, ctx, appScope);
}

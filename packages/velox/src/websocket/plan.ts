import { analyzeDependant, type DepGraph } from "../di/analyze.ts";
import type { DependencyOverrides } from "../di/overrides.ts";
import { VeloxError } from "../errors.ts";
import { compileHooks, type RequestHooks } from "../hooks.ts";
import type { ExceptionHandler, ExceptionKey } from "../router.ts";
import { isSchema } from "../schema/types.ts";
import type { WebSocketRouteRecord } from "./route-types.ts";

/** A WebSocket route's handshake, analysed once: the route is the root of its dependency graph. */
export interface WebSocketPlan {
  record: WebSocketRouteRecord;
  /** `WS /ws/{room}`, for errors and logs. */
  where: string;
  /** The `{name:path}` parameter, which the router reports as `*`. */
  wildcard: string | null;
  graph: DepGraph;
  /** The app's and routers' `onRequest` hooks (outermost first), run before the dependencies; null when none applies. */
  onRequest: RequestHooks["onRequest"][] | null;
  exceptionScopes: Map<ExceptionKey, ExceptionHandler>[];
}

/** What compiling a WebSocket plan reads from the app. */
export interface WebSocketPlanSettings {
  overrides: DependencyOverrides;
  optimize: boolean;
  appHandlers: Map<ExceptionKey, ExceptionHandler>;
}

/**
 * Analyses a WebSocket route with the same analyser as HTTP routes (`analyzeDependant`): its own
 * parameters, then its dependencies in resolution order. A handshake has no body, so a
 * dependency that reads one is refused here, at registration, naming the route.
 *
 * @example
 * ```ts
 * const plan = compileWebSocketPlan(app.wsRecords[0]!, { overrides: app.overrides, optimize: true, appHandlers });
 * plan.graph.named; // [["user", 0]]
 * ```
 */
export function compileWebSocketPlan(record: WebSocketRouteRecord, settings: WebSocketPlanSettings): WebSocketPlan {
  const where = `WS ${record.template.template}`;
  for (const key of ["message", "send"] as const) {
    const schema = record.config[key];
    if (schema !== undefined && !isSchema(schema)) throw new VeloxError("VX_NOT_A_SCHEMA", `${where}: "${key}" must be a Standard Schema`);
  }
  const graph = analyzeDependant(record.config, record.dependencies, { overrides: settings.overrides, optimize: settings.optimize, where });
  if (graph.bodyKind !== null) {
    throw new VeloxError("VX_BODY_NOT_ALLOWED", `${where}: a dependency reads a request body, but a WebSocket handshake has none`);
  }
  return {
    record,
    where,
    wildcard: record.template.wildcard,
    graph,
    onRequest: compileHooks(record.hookScopes).onRequest,
    exceptionScopes: [...new Set([...record.handlerScopes, settings.appHandlers])],
  };
}

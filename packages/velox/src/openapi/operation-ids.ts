import { VeloxError } from "../errors.ts";
import { operationIdCandidates } from "./naming.ts";
import type { OperationIdRoute } from "./options.ts";

/**
 * One operation waiting for its operationId.
 *
 * @example
 * ```ts
 * const request: OperationIdRequest = { method: "get", path: "/items", name: "listItems", tags: [], route: null, explicit: undefined, where: "GET /items" };
 * ```
 */
export interface OperationIdRequest extends OperationIdRoute {
  /** The route's own `operationId` option. */
  explicit: string | undefined;
  /** `GET /items/{id}` or `webhook new-subscription`, for error messages. */
  where: string;
}

/**
 * Gives every operation a unique operationId. Explicit ones (the route's `operationId`, or the
 * app's `generateOperationId`) are kept as written and must be unique: a clash is a
 * `VX_DUPLICATE_OPERATION_ID` error naming both routes. Default ones are camelCase names
 * (`readItem`) that grow only when they would clash (`readItemGet`, then
 * `readItemGetItemsByItemId`, then a number), so they are unique by construction.
 *
 * @example
 * ```ts
 * assignOperationIds([{ method: "get", path: "/items/{id}", name: "readItem", tags: [], route: null, explicit: undefined, where: "GET /items/{id}" }]);
 * // ["readItem"]
 * ```
 */
export function assignOperationIds(requests: readonly OperationIdRequest[], generate?: (route: OperationIdRoute) => string): string[] {
  const ids: (string | undefined)[] = requests.map((r) => {
    const fixed = r.explicit ?? (generate ? generate({ method: r.method, path: r.path, name: r.name, tags: r.tags, route: r.route }) : undefined);
    if (fixed !== undefined && (typeof fixed !== "string" || fixed === "")) {
      throw new VeloxError("VX_INVALID_OPTION", `${r.where}: operationId must be a non-empty string, got ${JSON.stringify(fixed)}`);
    }
    return fixed;
  });
  const owner = new Map<string, string>();
  ids.forEach((id, i) => {
    if (id === undefined) return;
    const previous = owner.get(id);
    if (previous !== undefined) {
      throw new VeloxError("VX_DUPLICATE_OPERATION_ID", `${requests[i]!.where}: operationId "${id}" is already used by ${previous}`);
    }
    owner.set(id, requests[i]!.where);
  });
  const pending = requests.map((r, i) => i).filter((i) => ids[i] === undefined);
  const candidates = new Map(pending.map((i) => [i, operationIdCandidates(requests[i]!.method, requests[i]!.path, requests[i]!.name)]));
  const level = new Map(pending.map((i) => [i, 0]));
  for (let round = 0; round < 4; round++) {
    const proposal = new Map<string, number[]>();
    for (const i of pending) {
      const list = candidates.get(i)!;
      const lvl = Math.min(level.get(i)!, list.length - 1);
      const id = list[lvl]!;
      proposal.set(id, [...(proposal.get(id) ?? []), i]);
    }
    let clash = false;
    for (const [id, group] of proposal) {
      if (group.length > 1 || owner.has(id)) {
        for (const i of group) if (level.get(i)! < candidates.get(i)!.length - 1) {
          level.set(i, level.get(i)! + 1);
          clash = true;
        }
      }
    }
    if (!clash) break;
  }
  const taken = new Set(owner.keys());
  for (const i of pending) {
    const list = candidates.get(i)!;
    const base = list[Math.min(level.get(i)!, list.length - 1)]!;
    let id = base;
    for (let n = 2; taken.has(id); n++) id = `${base}${n}`;
    taken.add(id);
    ids[i] = id;
  }
  return ids as string[];
}

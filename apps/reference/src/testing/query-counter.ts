import type { Kysely, KyselyPlugin, PluginTransformQueryArgs, PluginTransformResultArgs, QueryResult, RootOperationNode, UnknownRow } from "kysely";
import type { Database } from "../db/schema.ts";

/**
 * Wraps a Kysely instance so tests can count the queries a call runs (to prove "no N+1").
 *
 * @example
 * ```ts
 * const counted = countQueries(db);
 * await usersWithItems(counted.db);
 * expect(counted.count).toBe(2);
 * ```
 */
export function countQueries(db: Kysely<Database>): { db: Kysely<Database>; readonly count: number } {
  let count = 0;
  const plugin: KyselyPlugin = {
    transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
      count++;
      return args.node;
    },
    transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
      return Promise.resolve(args.result);
    },
  };
  return {
    db: db.withPlugin(plugin),
    get count() {
      return count;
    },
  };
}

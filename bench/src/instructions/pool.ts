/** Runs async tasks a few at a time (valgrind runs one thread at a time, so two cells fill two cores). */

/**
 * Calls `task` for every item with at most `limit` calls in flight; results keep the items' order.
 *
 * @example
 * ```ts
 * const counts = await runPooled(cells, 2, (cell) => measureCell(cell));
 * ```
 */
export async function runPooled<T, R>(items: readonly T[], limit: number, task: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await task(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

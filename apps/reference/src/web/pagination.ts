import { depends } from "velox";
import { z } from "zod";
import { integerField } from "../models/columns.ts";
import { MAX_PAGE_SIZE } from "../repositories/pagination.ts";

/**
 * `?page=&size=` for every paginated route: page from 1, size 1–100 (default 50). A size above
 * 100 is a 422 (`less_than_equal`), not silently clamped, so clients learn the limit.
 *
 * @example
 * ```ts
 * router.get("/users", { deps: { window: pageParams } }, ({ window }) => users.list(window));
 * ```
 */
export const pageParams = depends(
  {
    query: {
      // 2^31−1 pages of 100 rows keep the offset far inside both databases' 64-bit range.
      page: integerField().min(1).default(1).describe("Page number, from 1."),
      size: z.int().min(1).max(MAX_PAGE_SIZE).default(50).describe(`Page size, at most ${MAX_PAGE_SIZE}.`),
    },
  },
  function pageParams({ query }): { page: number; size: number } {
    return query;
  },
);

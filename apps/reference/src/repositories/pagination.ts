/** The largest page a client may ask for. */
export const MAX_PAGE_SIZE = 100;

/** One page of results: FastAPI-pagination's shape. */
export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  size: number;
  pages: number;
}

/** A page request: 1-based page number and page size. */
export interface PageRequest {
  page?: number;
  size?: number;
}

/**
 * Clamps a page request to sane bounds (page ≥ 1, 1 ≤ size ≤ 100) and computes the offset.
 *
 * @example
 * ```ts
 * pageWindow({ page: 3, size: 500 }); // { page: 3, size: 100, offset: 200 }
 * ```
 */
export function pageWindow(request: PageRequest = {}): { page: number; size: number; offset: number } {
  const page = Math.max(1, whole(request.page, 1));
  const size = Math.min(MAX_PAGE_SIZE, Math.max(1, whole(request.size, 50)));
  return { page, size, offset: (page - 1) * size };
}

/**
 * Builds a `Page<T>` from the rows of one window and the total count.
 *
 * @example
 * ```ts
 * toPage(rows, 230, { page: 3, size: 100 }); // { items: rows, total: 230, page: 3, size: 100, pages: 3 }
 * ```
 */
export function toPage<T>(items: T[], total: number, window: { page: number; size: number }): Page<T> {
  return { items, total, page: window.page, size: window.size, pages: Math.ceil(total / window.size) };
}

function whole(value: number | undefined, fallback: number): number {
  return value !== undefined && Number.isFinite(value) ? Math.trunc(value) : fallback;
}

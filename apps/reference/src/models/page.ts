import { z } from "zod";
import { MAX_PAGE_SIZE } from "../repositories/pagination.ts";

/**
 * The generic `Page<T>` response model: `Page_<Name>_` in OpenAPI, as Pydantic names a generic
 * `Page[Item]`. The repositories' `Page<T>` is the same shape, so a repository page (with its
 * items mapped) is a valid response.
 *
 * @example
 * ```ts
 * const ItemPage = pageOf(ItemOut, "ItemOut");
 * app.get("/items", { response: ItemPage }, async () => ({ ...page, items: page.items.map(itemOut) }));
 * ```
 */
export function pageOf<T extends z.ZodType>(item: T, name: string) {
  return z
    .object({
      items: z.array(item),
      total: z.int().min(0).describe("Rows matching the request, over all pages."),
      page: z.int().min(1).describe("This page's number, from 1."),
      size: z.int().min(1).max(MAX_PAGE_SIZE).describe("The page size asked for."),
      pages: z.int().min(0).describe("Number of pages: ceil(total / size)."),
    })
    .meta({ id: `Page_${name}_`, title: `Page[${name}]` });
}

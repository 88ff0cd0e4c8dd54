/** zod schemas shared by the Hono, Express and Velox servers. */
import { z } from "zod";
import { CATEGORIES, FIELDS_PATTERN, ID_MAX, SKU_PATTERN } from "./fixtures.ts";

// Path values arrive as strings; coerce, then insist on an integer in range.
export const UserParams = z.object({ id: z.coerce.number().int().min(1).max(ID_MAX) });
export const UserQuery = z.object({ fields: z.string().min(1).max(64).regex(FIELDS_PATTERN).optional() });

export const ItemIn = z.object({
  name: z.string().min(1).max(100),
  sku: z.string().regex(SKU_PATTERN),
  price: z.number().min(0),
  quantity: z.int().min(0).max(10000),
  inStock: z.boolean(),
  category: z.enum(CATEGORIES),
  tags: z.array(z.string().min(1).max(20)).max(10),
  dimensions: z.object({ width: z.number().positive(), height: z.number().positive(), depth: z.number().positive() }),
});

import { expectTypeOf, test } from "vitest";
import type { z } from "zod";
import type { Page } from "../repositories/pagination.ts";
import { ItemPage } from "../routes/items.ts";
import { UserPage } from "../routes/users.ts";
import type { ItemOut } from "./item.ts";
import { pageOf } from "./page.ts";
import type { UserOut } from "./user.ts";

test("pageOf(T) is the repositories' Page<T> of the item model", () => {
  expectTypeOf<z.infer<typeof ItemPage>>().toEqualTypeOf<Page<ItemOut>>();
  expectTypeOf<z.infer<typeof UserPage>>().toEqualTypeOf<Page<UserOut>>();
});

test("pageOf keeps the item type generic", () => {
  type NumberPage = z.infer<ReturnType<typeof pageOf<z.ZodObject<{ n: z.ZodNumber }>>>>;
  expectTypeOf<NumberPage["items"]>().toEqualTypeOf<{ n: number }[]>();
  expectTypeOf<NumberPage["items"]>().not.toEqualTypeOf<{ n: string }[]>();
});

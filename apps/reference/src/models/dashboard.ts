import { z } from "zod";

/**
 * Site-wide figures for administrators.
 *
 * @example
 * ```ts
 * router.get("/dashboard", { response: DashboardOut }, async () => ({ users: 2, active_users: 1, items: 5, total_views: 9 }));
 * ```
 */
export const DashboardOut = z
  .object({
    users: z.int().min(0),
    active_users: z.int().min(0),
    items: z.int().min(0),
    total_views: z.int().min(0),
  })
  .meta({ id: "Dashboard" });


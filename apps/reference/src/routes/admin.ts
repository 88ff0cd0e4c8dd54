import { Router, security } from "velox";
import { z } from "zod";
import { DashboardOut } from "../models/dashboard.ts";
import { UserWithItemsOut, userWithItemsOut } from "../models/user.ts";
import { dashboardCounts } from "../repositories/dashboard.ts";
import { usersWithItems } from "../repositories/users-with-items.ts";
import { pageParams } from "../web/pagination.ts";
import { superuser } from "../web/security.ts";
import { getServices } from "../web/services.ts";

/**
 * Site-wide views for superusers holding the `admin` scope: users with their items (two queries
 * for any page size, never one per user) and the dashboard (independent counts run concurrently).
 *
 * @example
 * ```ts
 * app.include(adminRouter());
 * ```
 */
export function adminRouter(): Router {
  const router = new Router({ tags: ["admin"] });
  const admin = security(superuser, ["admin"]);

  router.get(
    "/users-with-items",
    { deps: { admin, window: pageParams, services: getServices }, response: z.array(UserWithItemsOut), summary: "Users with their items (admin)" },
    async function listUsersWithItems({ window, services }) {
      return (await usersWithItems(services.database.db, window)).map(userWithItemsOut);
    },
  );

  router.get(
    "/dashboard",
    { deps: { admin, services: getServices }, response: DashboardOut, summary: "Site-wide counts (admin)" },
    async function dashboard({ services }) {
      const counts = await dashboardCounts(services.database.db);
      return { users: counts.users, active_users: counts.activeUsers, items: counts.items, total_views: counts.totalViews };
    },
  );

  return router;
}

import { z } from "zod";

/** Site-wide figures for administrators. */
export const DashboardOut = z
  .object({
    users: z.int().min(0),
    active_users: z.int().min(0),
    items: z.int().min(0),
    total_views: z.int().min(0),
  })
  .meta({ id: "Dashboard" });


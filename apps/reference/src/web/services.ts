import { depends } from "velox";
import type { Services } from "../services.ts";

/**
 * The app's services (repositories, password hasher, token config, sessions) as an app-scoped
 * dependency: read once from `app.state`, where the lifespan put them, then cached for the app's
 * life.
 *
 * @example
 * ```ts
 * router.get("/health/db", { deps: { services: getServices } }, async ({ services }) => ({ users: (await services.users.list()).total }));
 * ```
 */
export const getServices = depends({ scope: "app" }, function getServices({ app }): Services {
  const services = app.state.services as Services | undefined;
  if (services === undefined) throw new Error("the app's services are not started: run the app through its lifespan (app.ready())");
  return services;
});

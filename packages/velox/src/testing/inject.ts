import type { DispatchFunc, InjectOptions, Response } from "light-my-request";
import { importOptionalPeer } from "../optional-peer.ts";

const load = () => import("light-my-request");
let lightMyRequest: ReturnType<typeof load> | undefined;

/**
 * light-my-request's `inject`, loaded on the first request: it is an optional peer, so
 * `velox/testing` (e.g. `serveForTest`) loads without it and `TestClient` says how to install it.
 *
 * @example
 * ```ts
 * const res = await inject(app.handler, { method: "GET", url: "/items" });
 * ```
 */
export function inject(dispatch: DispatchFunc, options: InjectOptions): Promise<Response> {
  lightMyRequest ??= importOptionalPeer("light-my-request", "TestClient (velox/testing)", load, "--save-dev");
  return lightMyRequest.then(({ inject: run }) => run(dispatch, options));
}

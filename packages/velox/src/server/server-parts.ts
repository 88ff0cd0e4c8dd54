import { LoadShedder } from "./load-shedder.ts";
import type { ResolvedServeOptions } from "./options.ts";
import { createProbes, type ProbeHandler } from "./probes.ts";
import { Readiness } from "./readiness.ts";

/**
 * The load shedder of a running server, logging when it starts and stops answering 503: one
 * definition for the node:http and the Bun servers.
 *
 * @example
 * ```ts
 * this.shedder = serverLoadShedder(options);
 * ```
 */
export function serverLoadShedder(options: ResolvedServeOptions): LoadShedder {
  const logger = options.logger;
  return new LoadShedder(options, (reason, sample) => {
    if (reason === null) logger.info({ ...sample }, "load back to normal, accepting requests");
    else logger.warn({ reason, ...sample }, "overloaded, answering 503");
  });
}

/**
 * The health and readiness probes of a running server (null when both paths are off).
 *
 * @example
 * ```ts
 * const probes = serverProbes(options, () => this.gate.isDraining);
 * ```
 */
export function serverProbes(options: ResolvedServeOptions, isDraining: () => boolean): ProbeHandler | null {
  return createProbes({
    healthPath: options.healthPath,
    readyPath: options.readyPath,
    readiness: new Readiness(options.readinessChecks, options.logger),
    isDraining,
  });
}

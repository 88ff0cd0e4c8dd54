import type { BackgroundRunner } from "../background.ts";
import type { RequestContext } from "../context.ts";
import type { AppScope } from "../di/app-scope.ts";
import type { ErrorFormat } from "../error-response.ts";
import type { CompiledHooks } from "../hooks.ts";
import type { Logger } from "../logger.ts";
import type { ExceptionHandler, ExceptionKey } from "../router.ts";

/** What the pipeline needs from the app: one object per app, reached from every request's context. */
export interface Runtime {
  appScope: AppScope;
  background: BackgroundRunner;
  logger: Logger;
  errorFormat: ErrorFormat;
  /**
   * Body routes continue from promises rather than from the body stream's events, which run
   * outside the request's async context: set when something reads that context (`requestScope`).
   */
  keepAsyncContext: boolean;
  /** Header a request id is read from, or null to always generate one. */
  requestIdHeader: string | null;
  /** The app's own request hooks: all that applies to requests no route matched. */
  appHooks: CompiledHooks;
  /** The app's exception handlers, for requests no route matched. */
  appScopes: Map<ExceptionKey, ExceptionHandler>[];
  /** Answers an error that escaped every handler (500, or a destroyed socket once headers went out). */
  lastResort(ctx: RequestContext, error: unknown): void;
}

/**
 * Contract cases a server is known to answer differently, each with the reason. A listed deviation
 * is shown in the check and in the results but does not stop the server from being timed, since
 * no timed workload takes that path; anything not listed here does. Delete an entry once fixed:
 * the contract test then insists on the contract again.
 */
const VELOX_CONTENT_TYPE =
  "Velox answers 415 by design (shared/hardening.md: a JSON route never parses a non-JSON body, a CSRF guard) where FastAPI answers 422";

export const KNOWN_DEVIATIONS: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  velox: { "wrong content-type": VELOX_CONTENT_TYPE },
  "velox-deps": { "wrong content-type": VELOX_CONTENT_TYPE },
  "velox-hooks": { "wrong content-type": VELOX_CONTENT_TYPE },
  "velox-bun": { "wrong content-type": VELOX_CONTENT_TYPE },
  "velox-metrics": { "wrong content-type": VELOX_CONTENT_TYPE },
  "velox-batteries": { "wrong content-type": VELOX_CONTENT_TYPE },
};

export function deviationReason(server: string, caseName: string): string | undefined {
  return KNOWN_DEVIATIONS[server]?.[caseName];
}

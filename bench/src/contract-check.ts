/** Runs the contract cases against one running server. */
import { CONTRACT_CASES, type ContractCase } from "./contract-cases.ts";
import { deviationReason } from "./deviations.ts";

export interface CaseResult {
  name: string;
  expected: number;
  status: number | null;
  problem: string | null;
  /** Set when the problem is a known deviation (see deviations.ts). */
  waived?: string;
}

export interface CheckReport {
  /** No problems other than known deviations. */
  ok: boolean;
  results: CaseResult[];
}

async function runCase(baseUrl: string, c: ContractCase): Promise<CaseResult> {
  const result: CaseResult = { name: c.name, expected: c.status, status: null, problem: null };
  try {
    const res = await fetch(baseUrl + c.path, {
      method: c.method,
      headers: c.contentType ? { "content-type": c.contentType } : {},
      body: c.body,
      signal: AbortSignal.timeout(5000),
    });
    const text = await res.text();
    result.status = res.status;
    if (res.status !== c.status) {
      result.problem = `status ${res.status}, expected ${c.status}: ${text.slice(0, 200)}`;
    } else if (c.verify) {
      const type = res.headers.get("content-type") ?? "";
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch {
        json = undefined;
      }
      result.problem = !type.startsWith("application/json")
        ? `content-type ${type || "(none)"}, expected application/json`
        : json === undefined
          ? `body is not JSON: ${text.slice(0, 200)}`
          : c.verify(json);
    }
  } catch (err) {
    result.problem = `request failed: ${(err as Error).message}`;
  }
  return result;
}

/** Runs the cases; `server` names the server whose known deviations are waived. */
export async function checkServer(baseUrl: string, server?: string, cases: readonly ContractCase[] = CONTRACT_CASES): Promise<CheckReport> {
  const results: CaseResult[] = [];
  for (const c of cases) {
    const r = await runCase(baseUrl, c);
    const reason = server === undefined || r.problem === null ? undefined : deviationReason(server, c.name);
    if (reason) r.waived = reason;
    results.push(r);
  }
  return { ok: results.every((r) => r.problem === null || r.waived), results };
}

export function describeFailures(name: string, report: CheckReport): string {
  return report.results
    .filter((r) => r.problem !== null)
    .map((r) => `  ${name}: ${r.name} — ${r.problem}${r.waived ? ` (known deviation: ${r.waived})` : ""}`)
    .join("\n");
}

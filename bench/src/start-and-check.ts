/** Starts the selected servers and keeps only those that pass the contract check. */
import { checkServer, describeFailures, type CheckReport } from "./contract-check.ts";
import { freePort } from "./free-port.ts";
import type { ServerDef } from "./registry.ts";
import { startServer, type RunningServer, type StartOptions } from "./server-process.ts";

export interface Started {
  /** Servers that started and passed the check. */
  passed: RunningServer[];
  reports: { name: string; report: CheckReport }[];
  /** One line per server that failed to start or failed the check. */
  failures: string[];
  /** Known deviations seen (they do not block timing). */
  deviations: string[];
}

export async function startAndCheck(defs: readonly ServerDef[], place: StartOptions, track: (s: RunningServer) => void): Promise<Started> {
  const out: Started = { passed: [], reports: [], failures: [], deviations: [] };
  for (const def of defs) {
    let srv: RunningServer;
    try {
      srv = await startServer(def, await freePort(), place);
    } catch (err) {
      out.failures.push(`${def.name}: ${(err as Error).message}`);
      continue;
    }
    track(srv);
    const report = await checkServer(srv.url, def.name);
    out.reports.push({ name: def.name, report });
    const waived = report.results.filter((r) => r.waived);
    for (const r of waived) out.deviations.push(`${def.name}: ${r.name} answers ${r.status}, not ${r.expected} — ${r.waived}`);
    if (report.ok) out.passed.push(srv);
    else {
      out.failures.push(`${def.name} failed the contract check, so it is not timed:\n${describeFailures(def.name, report)}`);
      await srv.stop();
    }
  }
  return out;
}

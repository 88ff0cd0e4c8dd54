/**
 * Regression: the SQLite job queue refused to open a file in a folder that did not exist yet
 * ("Cannot open database because the directory does not exist"), so a fresh checkout failed to
 * boot the reference app's worker, while the app's own database created its folder.
 */
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, expect, it } from "vitest";
import { sqliteEngine } from "../../src/jobs/index.ts";

const root = mkdtempSync(join(tmpdir(), "velox-queue-folder-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

it("creates the queue file's folder when it is missing", async () => {
  const path = join(root, "not", "yet", "jobs.db");
  const engine = sqliteEngine({ path });
  await engine.prepare([]);
  expect(existsSync(path)).toBe(true);
  await engine.close();
});

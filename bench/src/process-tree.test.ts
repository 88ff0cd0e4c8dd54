import { spawn } from "node:child_process";
import { describe, expect, it } from "vitest";
import { processTree, sumOverTree } from "./process-tree.ts";

const onLinux = process.platform === "linux";

describe.runIf(onLinux)("processTree", () => {
  it("finds a child and a grandchild", async () => {
    // sh forks a sleep and waits for it: root sh -> sh -> sleep.
    const root = spawn("sh", ["-c", "sh -c 'sleep 5; true' & wait"], { stdio: "ignore" });
    try {
      let tree: number[] = [];
      for (let i = 0; i < 50 && tree.length < 3; i++) {
        await new Promise((r) => setTimeout(r, 20));
        tree = processTree(root.pid!);
      }
      expect(tree[0]).toBe(root.pid);
      expect(tree.length).toBe(3);
      expect(sumOverTree(root.pid!, () => 1)).toBe(3);
    } finally {
      root.kill("SIGKILL");
    }
  });

  it("is the process alone when it has no children, and null for a reading of a gone process", () => {
    expect(processTree(process.pid).length).toBeGreaterThanOrEqual(1);
    expect(sumOverTree(2 ** 22 + 7, () => null)).toBeNull();
  });
});

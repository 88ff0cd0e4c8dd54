import { describe, expect, it, vi } from "vitest";
import { describeEachDatabase } from "../testing/databases.ts";
import { countQueries } from "../testing/query-counter.ts";
import { ItemsRepository } from "./items.ts";
import { UsersRepository } from "./users.ts";
import { ViewCounter } from "./view-counter.ts";

describe("ViewCounter", () => {
  it("writes nothing on record, then every count in one batch when the interval ends", async () => {
    vi.useFakeTimers();
    try {
      const addViews = vi.fn((_counts: ReadonlyMap<number, number>) => Promise.resolve());
      const views = new ViewCounter({ addViews }, { flushIntervalMs: 500 });
      views.record(1);
      views.record(2);
      views.record(1);
      expect(views.pending).toBe(3);
      expect(addViews).not.toHaveBeenCalled();
      await vi.advanceTimersByTimeAsync(500);
      expect(addViews).toHaveBeenCalledTimes(1);
      expect([...addViews.mock.calls[0]![0]]).toEqual([[1, 2], [2, 1]]);
      expect(views.pending).toBe(0);
      await vi.advanceTimersByTimeAsync(5000);
      expect(addViews).toHaveBeenCalledTimes(1);
    } finally {
      vi.useRealTimers();
    }
  });

  it("writes batches one after another and reports a failed write", async () => {
    const order: string[] = [];
    let fail = true;
    const onError = vi.fn();
    const views = new ViewCounter(
      {
        addViews: async (counts) => {
          order.push(`start ${[...counts.keys()]}`);
          await new Promise((resolve) => setTimeout(resolve, 5));
          order.push(`end ${[...counts.keys()]}`);
          if (fail) {
            fail = false;
            throw new Error("database down");
          }
        },
      },
      { onError },
    );
    views.record(1);
    const first = views.flush();
    views.record(2);
    await Promise.all([first, views.close()]);
    expect(order).toEqual(["start 1", "end 1", "start 2", "end 2"]);
    expect(onError).toHaveBeenCalledWith(expect.objectContaining({ message: "database down" }));
  });
});

describeEachDatabase("ItemsRepository.addViews", (t) => {
  it("adds each count in one transaction and skips deleted items", async () => {
    const owner = await new UsersRepository(t.db).create({ username: "o", email: "o@example.com", hashedPassword: "h" });
    const items = new ItemsRepository(t.db);
    const a = await items.create(owner.id, { title: "a", price: 1 });
    const b = await items.create(owner.id, { title: "b", price: 1 });
    await items.recordView(a.id);
    const counted = countQueries(t.db);
    await new ItemsRepository(counted.db).addViews(new Map([[a.id, 4], [b.id, 2], [999_999, 1]]));
    expect(counted.count).toBe(3);
    expect((await items.get(owner.id, a.id))?.views).toBe(5);
    expect((await items.get(owner.id, b.id))?.views).toBe(2);
    await items.addViews(new Map());
  });
});

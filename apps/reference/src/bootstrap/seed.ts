import type { Services } from "../services.ts";

/** What {@link seedDemo} creates. */
export interface SeedOptions {
  username: string;
  password: string;
  /** Items the user should own (created up to this count). */
  items: number;
}

/**
 * Demo data: a user with `items` items of varied prices, titles and popularity. Idempotent: an
 * existing user is reused (its password left alone) and only the missing items are added.
 *
 * @example
 * ```ts
 * const { userId } = await seedDemo(services, { username: "demo", password: "demo-password", items: 200 });
 * ```
 */
export async function seedDemo(services: Services, options: SeedOptions): Promise<{ userId: number; created: number; firstItemId: number | undefined }> {
  const user =
    (await services.users.getByUsername(options.username)) ??
    (await services.users.create({
      username: options.username,
      email: `${options.username}@example.com`,
      hashedPassword: await services.passwords.hash(options.password),
      scopes: ["read", "write"],
    }));
  const existing = await services.items.list({ ownerId: user.id, size: 1, sort: "id", order: "asc" });
  let created = 0;
  for (let n = existing.total; n < options.items; n++) {
    const item = await services.items.create(user.id, {
      title: `Item ${String(n + 1).padStart(5, "0")}`,
      description: n % 3 === 0 ? null : `Demo item number ${n + 1}`,
      price: Math.round(((n * 7919) % 10_000) + 99) / 100,
    });
    // A few popular ones, so /items/popular has something to show.
    for (let v = 0; v < n % 5; v++) await services.items.recordView(item.id);
    created++;
  }
  const first = existing.items[0] ?? (await services.items.list({ ownerId: user.id, size: 1, sort: "id", order: "asc" })).items[0];
  return { userId: user.id, created, firstItemId: first?.id };
}

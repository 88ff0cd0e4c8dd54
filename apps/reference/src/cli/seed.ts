// `npm run seed -w apps/reference`: demo data in the configured database (SEED_USERNAME,
// SEED_PASSWORD, SEED_ITEMS; defaults demo / demo-password / 200). Prints what it did as JSON.
import { seedDemo } from "../bootstrap/seed.ts";
import { createServices } from "../services.ts";
import { loadSettings } from "../settings.ts";

const settings = loadSettings({ warn: () => undefined });
const services = await createServices(settings);
try {
  const username = process.env.SEED_USERNAME ?? "demo";
  const result = await seedDemo(services, {
    username,
    password: process.env.SEED_PASSWORD ?? "demo-password",
    items: Number(process.env.SEED_ITEMS ?? 200),
  });
  console.log(JSON.stringify({ username, ...result }));
} finally {
  await services.close();
}

// The reference app for the `velox` CLI, without serving it here:
//   velox worker apps/reference/src/entry.ts      runs its mail jobs (no HTTP)
//   velox jobs failed apps/reference/src/entry.ts lists dead-lettered mail
// `npm start` (src/main.ts) serves it, with the job worker unless JOBS_WORKER=false.
import { createApp } from "./app.ts";
import { loadSettings } from "./settings.ts";

export const app = createApp({ settings: loadSettings() });

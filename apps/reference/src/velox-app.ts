// The reference app as a module for the `velox` CLI: `velox run src/velox-app.ts --workers 2`.
// Configured from the environment like `npm start` (src/main.ts). Run the migrations first
// (`npm run migrate`): each worker imports this module and opens its own pool. With several
// workers, set JWT_SECRET, or each worker generates its own and tokens work on one worker only.
import { createApp } from "./app.ts";
import { loadSettings } from "./settings.ts";

export default createApp({ settings: loadSettings() });

/**
 * `npm run bench`: one line per figure, "name: value unit". Runs on SQLite, or on PostgreSQL when
 * DATABASE_URL is set (a fresh database is created on that server and dropped afterwards).
 * See bench/README.md for what each figure means.
 */
import { benchConsole } from './console.js';
import { benchFoundation } from './foundation.js';
import { benchPublishing } from './publishing.js';
import { benchSearch } from './search.js';
import { benchServing } from './serving.js';

const which = process.argv.slice(2);
const suites: Record<string, () => Promise<void>> = { foundation: benchFoundation, publishing: benchPublishing, serving: benchServing, search: benchSearch, console: benchConsole };
for (const [name, run] of Object.entries(suites)) {
  if (which.length && !which.includes(name)) continue;
  await run();
}
process.exit(0);

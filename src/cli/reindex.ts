import { systemClock } from '../lib/time.js';
import { rebuildIndex } from '../modules/search/index.js';
import { openRuntime } from './runtime.js';

/**
 * `jiyue reindex`: rebuilds the search index from scratch — every public item segmented again
 * with the current dictionary — with a progress line on stderr, and prints
 * `indexed N documents in S s: R documents/s` on stdout.
 */
export async function reindexCommand(): Promise<number> {
  const { store } = await openRuntime();
  try {
    const tty = !!process.stderr.isTTY;
    let lastTenth = -1;
    const t0 = performance.now();
    const r = await rebuildIndex({ db: store.db, dialect: store.dialect, now: systemClock() }, (done, total) => {
      const pct = total === 0 ? 100 : Math.floor((done / total) * 100);
      const rate = Math.round(done / Math.max(0.001, (performance.now() - t0) / 1000));
      if (tty) process.stderr.write(`\rreindex: ${String(pct).padStart(3)}%  ${done}/${total} items  ${rate} items/s `);
      else if (Math.floor(pct / 10) !== lastTenth) {
        lastTenth = Math.floor(pct / 10);
        process.stderr.write(`reindex: ${pct}% (${done}/${total} items, ${rate} items/s)\n`);
      }
    });
    if (tty) process.stderr.write('\n');
    const secs = r.ms / 1000;
    console.log(`indexed ${r.documents} documents in ${secs.toFixed(1)} s: ${Math.round(r.documents / Math.max(secs, 0.001))} documents/s`);
    return 0;
  } finally {
    await store.close();
  }
}

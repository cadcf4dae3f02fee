import path from 'node:path';
import { systemClock } from '../lib/time.js';
import { Publisher } from '../modules/publishing/build/index.js';
import { RenderPool } from '../modules/publishing/build/renderPool.js';
import { DEFAULT_THEMES_DIR, ThemeEngine, loadActiveOverrides } from '../modules/publishing/theme/index.js';
import { openRuntime } from './runtime.js';
import { VERSION } from '../app.js';
import { buildSignature, recordSignature } from '../modules/publishing/build/freshness.js';

/** A progress line on stderr: one updating line on a terminal, a plain line every 10% otherwise. */
export function progressReporter(stream: NodeJS.WriteStream = process.stderr): { update(done: number, total: number, pages: number): void; end(): void } {
  const t0 = performance.now();
  let lastTenth = -1;
  let lastDraw = 0;
  const tty = !!stream.isTTY;
  return {
    update(done, total, pages) {
      const pct = total === 0 ? 100 : Math.floor((done / total) * 100);
      const secs = (performance.now() - t0) / 1000;
      const rate = secs > 0 ? Math.round(pages / secs) : 0;
      if (tty) {
        const now = performance.now();
        if (now - lastDraw < 100 && done < total) return;
        lastDraw = now;
        const width = 30;
        const filled = Math.round((pct / 100) * width);
        stream.write(`\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${String(pct).padStart(3)}%  ${done}/${total} groups  ${pages} pages  ${rate} pages/s `);
      } else {
        const tenth = Math.floor(pct / 10);
        if (tenth === lastTenth) return;
        lastTenth = tenth;
        stream.write(`build: ${pct}% (${done}/${total} groups, ${pages} pages, ${rate} pages/s)\n`);
      }
    },
    end() {
      if (tty) stream.write('\n');
    },
  };
}

/**
 * `jiyue build`: rebuilds every public page from the database into `<dataDir>/public`, with a
 * progress bar on stderr, and prints `built N pages (M files) in S s: P pages/s` on stdout.
 */
export async function buildCommand(): Promise<number> {
  const { config, store, log } = await openRuntime();
  try {
    // Rendering on worker threads (one per core) unless JIYUE_BUILD_WORKERS=0.
    const workers = process.env.JIYUE_BUILD_WORKERS === undefined ? undefined : Number(process.env.JIYUE_BUILD_WORKERS);
    const pool = workers === 0 ? undefined : new RenderPool({ themesDir: DEFAULT_THEMES_DIR, db: store.db, ...(workers ? { size: workers } : {}) });
    const renderer = pool ?? new ThemeEngine({ themesDir: DEFAULT_THEMES_DIR, loadOverrides: (siteId) => loadActiveOverrides(store.db, siteId) });
    const publisher = new Publisher({
      store,
      renderer,
      publicDir: path.join(config.dataDir, 'public'),
      publicUrl: config.publicUrl,
      clock: systemClock,
      log,
      fsync: false,
    });
    const bar = progressReporter();
    const t0 = performance.now();
    const r = await publisher.fullBuild((done, total, pages) => bar.update(done, total, pages));
    bar.end();
    const secs = (performance.now() - t0) / 1000;
    for (const f of r.failures.slice(0, 20)) console.error(`模板错误 (template error) in ${f.group}: ${f.message}`);
    if (r.failures.length === 0) await recordSignature(store.db, buildSignature(DEFAULT_THEMES_DIR, VERSION), systemClock());
    console.log(`built ${r.pages} pages (${r.files} files) in ${secs.toFixed(1)} s: ${Math.round(r.pages / Math.max(secs, 0.001))} pages/s`);
    await pool?.close();
    return r.failures.length > 0 ? 1 : 0;
  } finally {
    await store.close();
  }
}

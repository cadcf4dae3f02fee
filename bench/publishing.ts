/**
 * Publishing (issue 3): the demo cluster scaled to BENCH_ARTICLES live articles (default 20,000);
 * a full build as `jiyue build` does it (worker threads, no fsync) in pages/s; then incremental
 * publishing latency, measured as a citizen would see it: from the publish call returning (an
 * editor submits into a column without review, through the API) until every dependent file is
 * on disk, with the app's real worker running (woken by the write, not polled): `visible` when
 * the article page, its Traditional twin and the column's first list page are there, and the
 * plain figure when the publishing job has written every dependent file (all list pages shift
 * by one when a new article arrives on top, so they are all rewritten).
 */
import fs from 'node:fs';
import path from 'node:path';
import pino from 'pino';
import { createTestApp, loginAs, makeUser } from '../test/helpers.js';
import { Worker } from '../src/modules/jobs/worker.js';
import { Publisher } from '../src/modules/publishing/build/index.js';
import { RenderPool } from '../src/modules/publishing/build/renderPool.js';
import { scaleArticles } from '../src/modules/publishing/build/scale.js';
import { DEFAULT_THEMES_DIR } from '../src/modules/publishing/theme/index.js';
import { seedIfEmpty } from '../src/seed/seed.js';
import { line, percentile } from './lib.js';

const ARTICLES = Number(process.env.BENCH_ARTICLES ?? 20_000);
const PUBLISHES = Number(process.env.BENCH_PUBLISHES ?? 40);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function benchPublishing(): Promise<void> {
  const t = await createTestApp();
  const db = t.store.dialect;
  const log = pino({ level: 'silent' });
  t.now.value = new Date();
  let worker: Worker | undefined;
  try {
    await seedIfEmpty(t.store, t.config, log, t.now.value);
    const ts = performance.now();
    const have = await scaleArticles(t.store, ARTICLES, t.now.value);
    console.log(`# ${have} live articles (scaled in ${((performance.now() - ts) / 1000).toFixed(1)} s)`);

    // Full build, as `jiyue build` runs it.
    const pool = new RenderPool({ themesDir: DEFAULT_THEMES_DIR, db: t.store.db });
    const publicDir = path.join(t.dataDir, 'public');
    const builder = new Publisher({ store: t.store, renderer: pool, publicDir, publicUrl: t.config.publicUrl, clock: () => t.now.value, log, fsync: false });
    const r = await builder.fullBuild();
    await pool.close();
    if (r.failures.length) throw new Error(`build failures: ${r.failures.map((f) => f.message).join('; ')}`);
    console.log(`# full build: ${r.pages} pages, ${r.files} files (with .gz/.br), ${(r.ms / 1000).toFixed(1)} s`);
    line(`publish.full_build[${db}]`, r.pages / (r.ms / 1000), 'pages/s');

    // Incremental publishing through the app, with its worker.
    const site = await t.store.db.selectFrom('sites').select('id').where('code', '=', 'jyj').executeTakeFirstOrThrow();
    const column = await t.store.db.selectFrom('columns').select(['id', 'path']).where('site_id', '=', site.id).where('slug', '=', 'gzdt').executeTakeFirstOrThrow();
    await t.store.db.updateTable('columns').set({ review_levels: 0 }).where('id', '=', column.id).execute();
    await makeUser(t.store, 'bench_publisher', [{ role: 'site_admin', siteId: site.id }]);
    const editor = await loginAs(t, 'bench_publisher');
    worker = new Worker(t.store, t.jiyue.jobs, log, () => t.now.value);
    worker.start();
    const listPage = path.join(publicDir, 'jyj', column.path, 'index.html');
    const waitFor = async (file: string, text: string) => {
      for (;;) {
        try {
          if (fs.readFileSync(file, 'utf8').includes(text)) return;
        } catch {
          /* not there yet */
        }
        await sleep(1);
      }
    };
    const idle = async () => {
      for (;;) {
        // Events and every publishing job due now (the deep list pages' follow-up job included).
        const busy = await t.store.db
          .selectFrom('jobs')
          .select('id')
          .where('status', 'in', ['pending', 'running'])
          .where('run_at', '<=', new Date().toISOString())
          .where((eb) => eb.or([eb('type', '=', 'event'), eb('type', 'like', 'publishing.%')]))
          .limit(1)
          .executeTakeFirst();
        if (!busy) return;
        await sleep(2);
      }
    };
    await idle(); // the worker's first round: the tamper check hashes every file once
    const latencies: number[] = [];
    const complete: number[] = [];
    for (let i = 0; i < PUBLISHES + 3; i++) {
      const title = `市教育局召开基准测试工作会议第${i + 1}次`;
      const created = await editor.post('/api/v1/articles', { columnId: column.id, title, body: `<p>${title}。会议部署了下一阶段的重点工作。</p>`, source: '示范市教育局' });
      const submitted = await editor.post(`/api/v1/articles/${created.body.id}/submit`);
      if (submitted.body.status !== 'published') throw new Error(`not published: ${JSON.stringify(submitted.body)}`);
      const t0 = performance.now();
      const url: string = submitted.body.url;
      await Promise.all([waitFor(path.join(publicDir, url), title), waitFor(path.join(publicDir, 'zh-hant', url), `第${i + 1}次`), waitFor(listPage, title)]);
      const visible = performance.now() - t0;
      await idle(); // every dependent file written: the publishing job is done
      if (i >= 3) {
        // the first few warm the caches
        latencies.push(visible);
        complete.push(performance.now() - t0);
      }
    }
    latencies.sort((a, b) => a - b);
    complete.sort((a, b) => a - b);
    line(`publish.incremental.visible.p50[${db}]`, percentile(latencies, 50), 'ms');
    line(`publish.incremental.visible.p95[${db}]`, percentile(latencies, 95), 'ms');
    line(`publish.incremental.p50[${db}]`, percentile(complete, 50), 'ms');
    line(`publish.incremental.p95[${db}]`, percentile(complete, 95), 'ms');
  } finally {
    await worker?.stop();
    await t.close();
  }
}

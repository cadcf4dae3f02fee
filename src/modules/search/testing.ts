/** Test-only: an app with the real demo cluster 示范市 seeded and indexed. */
import pino from 'pino';
import { type TestApp, createTestApp } from '../../../test/helpers.js';
import { seedIfEmpty } from '../../seed/seed.js';
import { rebuildIndex } from './indexer.js';

export async function demoApp(): Promise<TestApp> {
  const t = await createTestApp();
  // The seed's dates are relative to "now": the demo's newest items are days old on the test clock.
  await seedIfEmpty(t.store, t.config, pino({ level: 'silent' }), t.now.value);
  await rebuildIndex({ db: t.store.db, dialect: t.store.dialect, now: t.now.value });
  return t;
}

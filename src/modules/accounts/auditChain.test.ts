import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSqliteFile } from '../../db/index.js';
import { type Client, type TestApp, createTestApp, loginAs, makeUser } from '../../../test/helpers.js';
import { verifyChain } from './audit.js';

/**
 * Tampering behind the application's back: someone with database access switches the
 * append-only triggers off and edits or deletes rows. The hash chain must show where.
 */
let t: TestApp;
let aud: Client;

beforeAll(async () => {
  t = await createTestApp();
  await makeUser(t.store, 'sec', [{ role: 'secadmin' }]);
  await makeUser(t.store, 'aud', [{ role: 'auditor' }]);
  const sec = await loginAs(t, 'sec');
  for (const n of ['a', 'b', 'c']) await sec.post('/api/v1/users', { username: `user.${n}`, displayName: n });
  aud = await loginAs(t, 'aud');
});
afterAll(() => t.close());

/** Runs one statement with the append-only triggers out of the way, as an intruder would. */
async function behindTheBack(change: { kind: 'update'; id: number; after: string | null } | { kind: 'delete'; id: number }): Promise<void> {
  if (t.store.dialect === 'sqlite') {
    const raw = openSqliteFile(t.store.sqlitePath!);
    try {
      raw.exec('DROP TRIGGER IF EXISTS audit_log_no_update; DROP TRIGGER IF EXISTS audit_log_no_delete;');
      if (change.kind === 'update') raw.prepare('UPDATE audit_log SET "after" = ? WHERE id = ?').run(change.after, change.id);
      else raw.prepare('DELETE FROM audit_log WHERE id = ?').run(change.id);
    } finally {
      raw.close();
    }
  } else {
    await sql`ALTER TABLE audit_log DISABLE TRIGGER ALL`.execute(t.store.db);
    if (change.kind === 'update') await t.store.db.updateTable('audit_log').set({ after: change.after }).where('id', '=', change.id).execute();
    else await t.store.db.deleteFrom('audit_log').where('id', '=', change.id).execute();
    await sql`ALTER TABLE audit_log ENABLE TRIGGER ALL`.execute(t.store.db);
  }
}

describe('audit chain verification', () => {
  it('detects an altered entry, and where', async () => {
    expect((await verifyChain(t.store.db)).ok).toBe(true);
    const victim = await t.store.db.selectFrom('audit_log').selectAll().where('action', '=', 'user.create').where('target_id', 'is not', null).orderBy('id').limit(1).offset(1).executeTakeFirstOrThrow();
    const original = victim.after;
    await behindTheBack({ kind: 'update', id: victim.id, after: (original ?? '').replace('"displayName":"b"', '"displayName":"someone else"') });

    const report = await verifyChain(t.store.db);
    expect(report).toMatchObject({ ok: false, brokenAt: victim.id });
    expect(report.reason).toMatch(/hash 不符/);
    const res = await aud.get('/api/v1/audit/verify');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ ok: false, brokenAt: victim.id });

    // putting the original back restores the chain: the check is about content, not about the edit
    await behindTheBack({ kind: 'update', id: victim.id, after: original });
    expect((await verifyChain(t.store.db)).ok).toBe(true);
  });

  it('detects a removed entry at the one after it', async () => {
    const rows = await t.store.db.selectFrom('audit_log').select('id').orderBy('id').execute();
    const removed = rows[2]!.id;
    const next = rows[3]!.id;
    await behindTheBack({ kind: 'delete', id: removed });
    const report = await verifyChain(t.store.db);
    expect(report).toMatchObject({ ok: false, brokenAt: next, entries: 2 });
    expect(report.reason).toMatch(/链接断开/);
    expect((await aud.get('/api/v1/audit/verify')).body).toMatchObject({ ok: false, brokenAt: next });
  });
});

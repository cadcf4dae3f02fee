import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, type TestApp, anonymousClient, countRows, createTestApp, loginAs, makeSite, makeUser } from '../../../test/helpers.js';

let t: TestApp;
let aud: Client;
let audCookie: string;

/** The export as bytes (the test client decodes bodies as text). */
async function download(query = ''): Promise<{ status: number; headers: Record<string, unknown>; bytes: Buffer; json: any }> {
  const res = await t.jiyue.app.inject({ method: 'GET', url: `/api/v1/audit/export.xlsx${query}`, headers: { cookie: audCookie } });
  const json = String(res.headers['content-type'] ?? '').includes('json') ? JSON.parse(res.body) : null;
  return { status: res.statusCode, headers: res.headers, bytes: res.rawPayload, json };
}

async function sheetOf(bytes: Buffer): Promise<ExcelJS.Worksheet> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(bytes as unknown as ArrayBuffer);
  const ws = wb.getWorksheet('审计日志');
  if (!ws) throw new Error('no worksheet 审计日志');
  return ws;
}
const rowsOf = (ws: ExcelJS.Worksheet): unknown[][] => {
  const out: unknown[][] = [];
  ws.eachRow((row) => out.push((row.values as unknown[]).slice(1)));
  return out;
};

beforeAll(async () => {
  t = await createTestApp();
  const site = await makeSite(t.store, 'exp');
  await makeUser(t.store, 'sec', [{ role: 'secadmin' }]);
  await makeUser(t.store, 'aud', [{ role: 'auditor' }]);
  await makeUser(t.store, 'sys', [{ role: 'sysadmin' }]);
  await makeUser(t.store, 'ed', [{ role: 'site_admin', siteId: site }]);
  // History at two moments: three users created at 03:00, a grant at 05:00 (Beijing 11:00 and 13:00).
  t.now.value = new Date('2026-11-20T03:00:00.000Z');
  const sec = await loginAs(t, 'sec');
  const ids: number[] = [];
  for (const [username, displayName] of [['li.lei', '李雷'], ['han.mei', '韩梅梅'], ['zhang.san', '张三=SUM(A1)']]) {
    ids.push((await sec.post('/api/v1/users', { username, displayName })).body.user.id);
  }
  t.now.value = new Date('2026-11-20T05:00:00.000Z');
  const sec2 = await loginAs(t, 'sec');
  expect((await sec2.post('/api/v1/grants', { userId: ids[0], role: 'editor', siteId: site })).status).toBe(201);
  aud = await loginAs(t, 'aud');
  const login = await t.jiyue.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'aud', password: 'Test-Passw0rd!' } });
  audCookie = String(login.headers['set-cookie']).split(';')[0]!;
});
afterAll(() => t.close());

describe('exporting the audit log to xlsx', () => {
  it('is for the auditor only: the security, system and site administrators get 403, strangers 401', async () => {
    const before = await countRows(t.store, 'audit_log');
    for (const name of ['sec', 'sys', 'ed']) {
      const res = await (await loginAs(t, name)).get('/api/v1/audit/export.xlsx');
      expect(res.status, name).toBe(403);
      expect(res.body.error).toMatchObject({ code: 'forbidden', message: '没有权限执行此操作' });
    }
    expect((await anonymousClient(t).get('/api/v1/audit/export.xlsx')).status).toBe(401);
    // Only the logins above were recorded: no export happened.
    const after = await t.store.db.selectFrom('audit_log').select('action').where('id', '>', before).execute();
    expect(after.map((r) => r.action).filter((a) => a === 'audit.export')).toEqual([]);
  });

  it('writes every entry the list shows, newest first, with a Chinese file name', async () => {
    const list = (await aud.get('/api/v1/audit?pageSize=100')).body;
    const res = await download();
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    const cd = String(res.headers['content-disposition']);
    expect(cd).toMatch(/^attachment; filename="audit-log-\d{8}-\d{4}\.xlsx"; filename\*=UTF-8''/);
    expect(decodeURIComponent(cd.split("UTF-8''")[1]!)).toMatch(/^审计日志-\d{8}-\d{4}\.xlsx$/);
    expect(res.headers['x-jiyue-rows']).toBe(String(list.total));

    const rows = rowsOf(await sheetOf(res.bytes));
    expect(rows[0]).toEqual(['序号', '时间（北京时间）', '操作人', '操作人编号', '操作', '对象类型', '对象编号', '站点编号', 'IP 地址', '修改前', '修改后', '哈希']);
    const body = rows.slice(1);
    expect(body).toHaveLength(list.total);
    expect(body.map((r) => r[0])).toEqual(list.items.map((e: any) => e.id));
    expect(body.map((r) => r[4])).toEqual(list.items.map((e: any) => e.action));
    expect(body.map((r) => r[11])).toEqual(list.items.map((e: any) => e.hash));
    const create = body.find((r) => r[4] === 'user.create' && String(r[10]).includes('zhang.san'))!;
    expect(create[1]).toBe('2026-11-20 11:00:00');
    expect(create[2]).toBe('sec');
    // Text that looks like a formula stays text.
    expect(JSON.parse(String(create[10])).displayName).toBe('张三=SUM(A1)');
  });

  it('takes the list filters (action prefix, time range) and records the export itself', async () => {
    const res = await download('?action=grant.&from=2026-11-20T04:00:00.000Z');
    expect(res.status).toBe(200);
    const body = rowsOf(await sheetOf(res.bytes)).slice(1);
    expect(body.map((r) => r[4])).toEqual(['grant.create']);
    expect(body[0]![1]).toBe('2026-11-20 13:00:00');

    const none = rowsOf(await sheetOf((await download('?actor=nobody')).bytes));
    expect(none).toHaveLength(1); // the header only

    const last = await t.store.db.selectFrom('audit_log').selectAll().orderBy('id', 'desc').limit(1).executeTakeFirstOrThrow();
    expect(last).toMatchObject({ action: 'audit.export', actor_name: 'aud', target_type: 'audit_log' });
    expect(JSON.parse(last.after!)).toMatchObject({ filters: { actor: 'nobody' }, rows: 0 });
    expect((await aud.get('/api/v1/audit/verify')).body.ok).toBe(true);
  });

  it('refuses bad filters with a Chinese message', async () => {
    const res = await download('?from=yesterday');
    expect(res.status).toBe(400);
    expect(res.json.error.code).toBe('validation_failed');
    expect(res.json.error.message).toMatch(/[\u4e00-\u9fff]/);
  });
});
